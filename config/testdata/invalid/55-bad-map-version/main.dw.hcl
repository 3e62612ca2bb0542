# A map version has four parts, as 1.0.0.12.

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
  link      = link.main
  finops    = "Currencies"
  dataverse = "transactioncurrencies"
  version   = "1.0.12" # ERROR

  field "CURRENCYCODE" "isocurrencycode" {}
  field "NAME" "currencyname" {}
}
