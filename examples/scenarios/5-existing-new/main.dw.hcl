# Setup scenario 5 of the dual-write documentation: an F&O in use and a new Dataverse.
#
# The link takes the legal entities wanted (the service would add all of them; the
# workspace then removes the others) and the initial syncs bring their data over.
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
  url = "emulator://scenario?seed=existing"
}

environment "dataverse" "ce" {
  url = "emulator://scenario?seed=empty"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}

company "USMF" {
  link = link.main
  name = "Contoso Entertainment System USA"
}

company "USRT" {
  link = link.main
  name = "Contoso Retail USA"
}

company "FRRT" {
  link = link.main
  name = "Contoso Retail France"
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
