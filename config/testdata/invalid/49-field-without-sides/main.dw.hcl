# A field names an F&O field, a Dataverse column, or both; this one names neither.

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
  field "" "" { default = 1 } # ERROR
}
