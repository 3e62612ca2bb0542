# The map has bidirectional fields, so its key column must be mapped both
# ways too [DIPV1004].

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

integration_key "account" {
  link    = link.main
  columns = ["accountnumber", "msdyn_company.cdm_companycode"]
}

table_map "customers" {
  link      = link.main
  finops    = "CustomersV3"
  dataverse = "accounts"

  field "CUSTOMERACCOUNT" "accountnumber" { direction = "to_dataverse" } # ERROR
  field "ORGANIZATIONNAME" "name" {}
}
