# Two maps on one table pair with the same filters would sync the same rows.

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

  filter {
    finops    = "((PartyType == \"Organization\"))"
    dataverse = "customertypecode eq 3"
  }

  field "CUSTOMERACCOUNT" "accountnumber" {}
  field "ORGANIZATIONNAME" "name" {}
}

table_map "customers_copy" { # ERROR
  link      = link.main
  finops    = "CustomersV3"
  dataverse = "accounts"

  filter {
    finops    = "((PartyType  ==  \"Organization\"))"
    dataverse = "customertypecode eq 3"
  }

  field "CUSTOMERACCOUNT" "accountnumber" {}
  field "SALESMEMO" "description" {}
}
