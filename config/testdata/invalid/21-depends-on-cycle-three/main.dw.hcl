# Three maps in a depends_on ring: currencies -> groups -> customers -> currencies.
# Reported once, at the map whose address sorts first (table_map.currencies).

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

integration_key "transactioncurrency" {
  link    = link.main
  columns = ["isocurrencycode"]
}

integration_key "account" {
  link    = link.main
  columns = ["accountnumber", "msdyn_company.cdm_companycode"]
}

integration_key "msdyn_customergroup" {
  link    = link.main
  columns = ["msdyn_groupid", "msdyn_company.cdm_companycode"]
}

table_map "currencies" { # ERROR
  link       = link.main
  finops     = "Currencies"
  dataverse  = "transactioncurrencies"
  depends_on = [table_map.groups]

  field "CURRENCYCODE" "isocurrencycode" {}
}

table_map "groups" {
  link       = link.main
  finops     = "CustomerGroups"
  dataverse  = "msdyn_customergroups"
  depends_on = [table_map.customers]

  field "CUSTOMERGROUPID" "msdyn_groupid" {}
}

table_map "customers" {
  link       = link.main
  finops     = "CustomersV3"
  dataverse  = "accounts"
  depends_on = [table_map.currencies]

  field "CUSTOMERACCOUNT" "accountnumber" {}
}
