# Setup scenario 1 of the dual-write documentation: a new, empty F&O and a new Dataverse.
#
# A new F&O has only the DAT company; dual-write links DAT and the maps run. Nothing is
# there to copy yet but the currencies: from now on every change flows live.
#
# Try it on the emulator; each environment names the seed data it starts
# with, the first time a command starts it:
#
#   dwctl plan
#   dwctl apply

dwctl {
  publisher = "scenarios"
}

environment "finops" "fo" {
  url = "emulator://scenario?seed=empty"
}

environment "dataverse" "ce" {
  url = "emulator://scenario?seed=empty"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}

company "DAT" {
  link = link.main
  name = "Company DAT"
}

# Integration keys: per Dataverse table, the columns that identify a row.
integration_key "transactioncurrency" {
  link    = link.main
  columns = ["isocurrencycode"]
}

integration_key "msdyn_customergroup" {
  link    = link.main
  columns = ["msdyn_groupid", "msdyn_company.cdm_companycode"]
}

integration_key "account" {
  link    = link.main
  columns = ["accountnumber", "msdyn_company.cdm_companycode"]
}

table_map "currencies" {
  link      = link.main
  finops    = "Currencies"
  dataverse = "transactioncurrencies"

  initial_sync {
    enabled = true
    master  = "finops"
  }

  field "CURRENCYCODE" "isocurrencycode" {}
  field "NAME" "currencyname" {}
  field "SYMBOL" "currencysymbol" {}
  field "" "exchangerate" { default = 1 }
}

table_map "customer_groups" {
  link      = link.main
  finops    = "CustomerGroups"
  dataverse = "msdyn_customergroups"

  initial_sync {
    enabled = true
    master  = "finops"
  }

  field "CUSTOMERGROUPID" "msdyn_groupid" {}
  field "DESCRIPTION" "msdyn_description" {}
}

table_map "customers" {
  link       = link.main
  finops     = "CustomersV3"
  dataverse  = "accounts"
  depends_on = [table_map.currencies, table_map.customer_groups]

  initial_sync {
    enabled = true
    master  = "finops"
  }

  filter {
    finops    = "((PartyType == \"Organization\"))"
    dataverse = "customertypecode eq 3"
  }

  field "CUSTOMERACCOUNT" "accountnumber" {}
  field "ORGANIZATIONNAME" "name" {}
  field "CUSTOMERGROUPID" "msdyn_customergroupid.msdyn_groupid" {}
  field "" "customertypecode" { default = 3 }
  field "PARTYTYPE" "" { default = "Organization" }
}
