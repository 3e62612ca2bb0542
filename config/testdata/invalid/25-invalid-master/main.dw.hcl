# The initial-sync master is finops or dataverse.

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

  initial_sync {
    master = "fo" # ERROR
  }

  field "CURRENCYCODE" "isocurrencycode" {}
  field "NAME" "currencyname" {}
}
