# A field with an empty side writes a constant and needs default.

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

  field "CURRENCYCODE" "isocurrencycode" {}
  field "" "exchangerate" {} # ERROR
}
