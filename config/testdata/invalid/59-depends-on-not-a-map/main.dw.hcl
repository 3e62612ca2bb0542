# depends_on lists table maps; a company is not one.

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

company "USMF" {
  link = link.main
  name = "Contoso Entertainment System USA"
}

integration_key "transactioncurrency" {
  link    = link.main
  columns = ["isocurrencycode"]
}

table_map "currencies" {
  link       = link.main
  finops     = "Currencies"
  dataverse  = "transactioncurrencies"
  depends_on = [company.USMF] # ERROR

  field "CURRENCYCODE" "isocurrencycode" {}
  field "NAME" "currencyname" {}
}
