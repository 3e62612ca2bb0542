# accountnumber is in the key of account, but the map on accounts does not
# map it [DIPV1014]. (The company column is exempt: the service adds it.)

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

table_map "customers" { # ERROR
  link      = link.main
  finops    = "CustomersV3"
  dataverse = "accounts"

  field "ORGANIZATIONNAME" "name" {}
  field "PRIMARYCONTACTEMAIL" "emailaddress1" {}
}
