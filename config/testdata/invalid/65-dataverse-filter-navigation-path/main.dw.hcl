# Dual-write filters compare the table's own columns; a navigation path
# (primarycontactid/fullname) is not supported. The range is the path inside
# the string.

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
    dataverse = "customertypecode eq 3 and primarycontactid/fullname ne null" # ERROR
  }

  field "CUSTOMERACCOUNT" "accountnumber" {}
  field "ORGANIZATIONNAME" "name" {}
}
