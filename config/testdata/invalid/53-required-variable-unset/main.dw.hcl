# tenant_id has no default and no value is given.

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

variable "tenant_id" { # ERROR
  type      = string
  sensitive = true
}
