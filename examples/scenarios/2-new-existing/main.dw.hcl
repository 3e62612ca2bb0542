# Setup scenario 2 of the dual-write documentation: a new, empty F&O and an existing Dataverse.
#
# Dataverse holds customers from before dual-write; F&O is new. The documented way:
# create a new company in F&O, add it to the link, bootstrap Dataverse's rows with
# that company, then run the initial sync from Dataverse.
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
  url = "emulator://scenario?seed=existing"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}

company "DAT" {
  link = link.main
  name = "Company DAT"
}

# Dataverse's customers get a company of their own in F&O: dwctl creates the
# legal entity, then gives Dataverse's customer groups, and the accounts that
# are ready for F&O (an account number and a customer group), that company.
# The other accounts stay without a company, out of dual-write's sight,
# until someone fixes them.
company "CRM" {
  link                = link.main
  name                = "Contoso CRM customers"
  create_legal_entity = true

  bootstrap {
    tables = ["msdyn_customergroup"]
  }

  bootstrap {
    tables = ["account"]
    where  = "accountnumber ne null and _msdyn_customergroupid_value ne null and customertypecode eq 3"
  }
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
    master  = "dataverse"
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
    master  = "dataverse"
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
