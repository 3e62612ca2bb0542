# A map cannot be scoped to some legal entities; a filter on the company
# column warns and points to the link's company list. The filters still
# load: they are valid expressions.

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

table_map "customers" {
  link      = link.main
  finops    = "CustomersV3"
  dataverse = "accounts"

  filter {
    finops    = "(dataAreaId == \"usmf\")"                  # WARNING
    dataverse = "_msdyn_company_value eq 9c5a0d3e-1b2f-4c6d-8e7a-0f1b2c3d4e5f" # WARNING
  }

  field "CUSTOMERACCOUNT" "accountnumber" {}
  field "ORGANIZATIONNAME" "name" {}
}
