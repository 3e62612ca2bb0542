# A block type the language does not have (Terraform's `resource`).

environment "finops" "fo" {
  url = "emulator://invalid"
}

environment "dataverse" "ce" {
  url = "emulator://invalid"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}

resource "table_map" "customers" { # ERROR
  finops = "CustomersV3"
}
