# A map that depends on itself.

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

table_map "currencies" { # ERROR
  link       = link.main
  finops     = "Currencies"
  dataverse  = "transactioncurrencies"
  depends_on = [table_map.currencies]

  field "CURRENCYCODE" "isocurrencycode" {}
}
