# Two fields write the Dataverse column name [DIPV1026]. (One F&O field
# feeding two columns is legal; one column fed twice is not.)

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

  field "CUSTOMERACCOUNT" "accountnumber" {}
  field "ORGANIZATIONNAME" "name" {}
  field "SEARCHNAME" "name" { direction = "to_dataverse" } # ERROR
}
