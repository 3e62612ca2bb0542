# depends_on names a table map nobody declared.

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

table_map "currencies" {
  link       = link.main
  finops     = "Currencies"
  dataverse  = "transactioncurrencies"
  depends_on = [table_map.legal_entities] # ERROR

  field "CURRENCYCODE" "isocurrencycode" {}
  field "NAME" "currencyname" {}
}
