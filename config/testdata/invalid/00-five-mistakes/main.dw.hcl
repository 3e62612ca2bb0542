# Five independent mistakes in one file; validate reports all five in one run.

environment "finops" "fo" {
  url = "http://contoso.operations.dynamics.com" # ERROR
}

environment "dataverse" "ce" {
  url = "https://contoso.crm.dynamics.com"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}

company "USMF1" { # ERROR
  link = link.main
  name = "Contoso Entertainment System USA"
}

company "USRT" {
  link = link.main
  name = "Contoso Retail USA"
}

integration_key "account" {
  link    = link.main
  columns = ["accountnumber", "msdyn_company.cdm_companycode"]
}

table_map "customers" {
  link      = link.main
  finops    = "CustomersV3"
  dataverse = "accounts"
  state     = "started" # ERROR

  field "CUSTOMERACCOUNT" "accountnumber" {}
  field "ORGANIZATIONNAME" "name" {}
  field "ONHOLDSTATUS" "msdyn_onholdstatus" {
    value_map = { no = 806380000, invoice = "806380001" } # ERROR
  }
}

table_map "currencies" {
  link       = link.main
  finops     = "Currencies"
  dataverse  = "transactioncurrencies"
  depends_on = [table_map.legal_entities] # ERROR

  field "CURRENCYCODE" "isocurrencycode" {}
}

integration_key "transactioncurrency" {
  link    = link.main
  columns = ["isocurrencycode"]
}
