# Quickstart: one dual-write pair, two companies, three table maps.
#
# Both environments name the same embedded emulator ("emulator://quickstart"),
# so this file runs on a laptop without any Microsoft tenant:
#
#   dwctl validate     # offline checks
#   dwctl plan         # what apply would do against the emulator
#   dwctl apply        # link, companies, keys, maps, initial sync
#
# Swap the two urls for https://<env>.operations.dynamics.com and
# https://<org>.crm.dynamics.com to point the same file at real environments.

dwctl {
  publisher = "quickstart" # the publisher of map versions dwctl saves
}

# The two sides of the pair. The emulator keeps its data under
# .dwctl/emulator/quickstart.
environment "finops" "fo" {
  url = "emulator://quickstart"
}

environment "dataverse" "ce" {
  url = "emulator://quickstart"
}

# A link joins exactly one F&O environment with one Dataverse environment.
link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}

# The legal entities dual-write covers. The label is the F&O company id;
# the name becomes the cdm_company row's name and must be unique.
company "USMF" {
  link = link.main
  name = "Contoso Entertainment System USA"
}

company "USRT" {
  link = link.main
  name = "Contoso Retail USA"
}

# Integration keys: per Dataverse table (logical name), the columns that
# identify a row for dual-write. Company-specific tables carry the company
# column; dual-write fills it from the row's company, so no map maps it.
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

# Currencies are global reference data (not striped by company).
table_map "currencies" {
  link      = link.main
  finops    = "Currencies"            # F&O public collection name
  dataverse = "transactioncurrencies" # Dataverse entity set name

  initial_sync {
    enabled = true
    master  = "finops" # F&O wins where both sides hold the same currency
  }

  filter {
    finops = "((CURRENCYCODE != \"999\"))" # as Microsoft publishes it
  }

  field "CURRENCYCODE" "isocurrencycode" {} # "=": both ways
  field "NAME" "currencyname" {}
  field "SYMBOL" "currencysymbol" {}
  field "" "exchangerate" { default = 1 } # constant written into Dataverse
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
  field "ISSALESTAXINCLUDEDINPRICE" "msdyn_issalestaxincludedinprice" {
    value_map = { no = false, yes = true } # F&O NoYes enum -> Dataverse boolean
  }
}

# Customers V3 -> accounts: organisations only; persons go to contacts.
table_map "customers" {
  link       = link.main
  finops     = "CustomersV3"
  dataverse  = "accounts"
  depends_on = [table_map.currencies, table_map.customer_groups] # reference data first

  initial_sync {
    enabled = true
    master  = "finops"
  }

  filter {
    finops    = "((PartyType == \"Organization\"))"
    dataverse = "customertypecode eq 3"
  }

  field "CUSTOMERACCOUNT" "accountnumber" {} # the integration key
  field "ORGANIZATIONNAME" "name" {}
  field "CUSTOMERGROUPID" "msdyn_customergroupid.msdyn_groupid" {} # lookup by the group's key
  field "SALESCURRENCYCODE" "transactioncurrencyid.isocurrencycode" {}
  field "PRIMARYCONTACTEMAIL" "emailaddress1" {}
  field "PRIMARYCONTACTPHONE" "telephone1" {}
  field "CREDITLIMIT" "creditlimit" {}
  field "ONHOLDSTATUS" "msdyn_onholdstatus" {
    value_map = {
      no          = 806380000
      invoice     = 806380001
      all         = 806380002
      payment     = 806380003
      requisition = 806380004
      never       = 806380005
    }
  }
  field "" "customertypecode" { default = 3 }       # none >> customertypecode: Customer
  field "PARTYTYPE" "" { default = "Organization" } # PARTYTYPE << none: rows from Dataverse
  field "LANGUAGEID" "" { default = "en-us" }       # LANGUAGEID << none
}
