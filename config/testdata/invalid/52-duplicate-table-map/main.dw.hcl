# Two table_map blocks with one name.

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
  field "NAME" "currencyname" {}
}

table_map "currencies" { # ERROR
  link      = link.main
  finops    = "Currencies"
  dataverse = "transactioncurrencies"

  filter {
    finops = "((CURRENCYCODE != \"999\"))"
  }

  field "CURRENCYCODE" "isocurrencycode" {}
}
