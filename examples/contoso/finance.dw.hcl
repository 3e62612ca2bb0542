# Finance reference data: companies, currencies, exchange rates, units,
# terms of payment and the payment reference tables. Reference data maps
# run first; the customer and vendor maps depend on them.

# Global tables (not striped by company) have keys without a company column.
integration_key "cdm_company" {
  link    = link.main
  columns = ["cdm_companycode"]
}

integration_key "transactioncurrency" {
  link    = link.main
  columns = ["isocurrencycode"]
}

integration_key "msdyn_currencyexchangerate" {
  link = link.main
  # Key columns inferred from the published map's fields; check with validate -live.
  columns = ["msdyn_exchangeratetypename", "msdyn_fromcurrencycode", "msdyn_tocurrencycode", "msdyn_validfrom"]
}

integration_key "uom" {
  link    = link.main
  columns = ["msdyn_symbol"]
}

integration_key "msdyn_paymentterm" {
  link    = link.main
  columns = ["msdyn_name", "msdyn_company.cdm_companycode"]
}

# "Legal entities (cdm_companies)": the F&O companies as Dataverse rows.
table_map "legal_entities" {
  link      = link.main
  finops    = "LegalEntities"
  dataverse = "cdm_companies"

  initial_sync {
    enabled = true
    master  = "finops"
  }

  field "LEGALENTITYID" "cdm_companycode" {}
  field "NAME" "cdm_name" {}
}

table_map "currencies" {
  link       = link.main
  finops     = "Currencies" # public collection of the "Currencies" entity; check with validate -live
  dataverse  = "transactioncurrencies"
  depends_on = [table_map.legal_entities]

  initial_sync {
    enabled = true
    master  = "finops"
  }

  filter {
    finops = "((CURRENCYCODE != \"999\"))" # one-sided: Dataverse rows all flow
  }

  field "CURRENCYCODE" "isocurrencycode" {}
  field "NAME" "currencyname" {}
  field "SYMBOL" "currencysymbol" {}
  field "" "exchangerate" { default = 1 } # none >> exchangerate
}

# "CDS Exchange Rates": fully one-way, F&O is the only source of rates.
table_map "exchange_rates" {
  link       = link.main
  finops     = "ExchangeRates" # label "CDS Exchange Rates"; collection name inferred, check with validate -live
  dataverse  = "msdyn_currencyexchangerates"
  depends_on = [table_map.currencies]

  initial_sync {
    enabled = true
    master  = "finops"
  }

  field "EXCHANGERATETYPENAME" "msdyn_exchangeratetypename" { direction = "to_dataverse" }
  field "FROMCURRENCYCODE" "msdyn_fromcurrencycode" { direction = "to_dataverse" }
  field "TOCURRENCYCODE" "msdyn_tocurrencycode" { direction = "to_dataverse" }
  field "RATE" "msdyn_exchangerate" { direction = "to_dataverse" }
  field "VALIDFROM" "msdyn_validfrom" { direction = "to_dataverse" }
  field "VALIDTO" "msdyn_validto" { direction = "to_dataverse" }
}

# "Units (uoms)": one-way, and UNITSYMBOL feeds two Dataverse columns, as
# Microsoft publishes it.
table_map "units" {
  link      = link.main
  finops    = "UnitsOfMeasure"
  dataverse = "uoms"

  initial_sync {
    enabled = true
    master  = "finops"
  }

  field "UNITSYMBOL" "msdyn_symbol" { direction = "to_dataverse" }
  field "UNITSYMBOL" "name" { direction = "to_dataverse" }
  field "UNITDESCRIPTION" "msdyn_description" { direction = "to_dataverse" }
  field "UNITCLASS" "msdyn_externalunitclassname" { direction = "to_dataverse" }
  field "DECIMALPRECISION" "msdyn_decimalprecision" { direction = "to_dataverse" }
  field "SYSTEMOFUNITS" "msdyn_systemofunits" { direction = "to_dataverse" }
}

table_map "payment_terms" {
  link       = link.main
  finops     = "PaymentTerms"
  dataverse  = "msdyn_paymentterms"
  depends_on = [table_map.legal_entities]

  initial_sync {
    enabled = true
    master  = var.initial_sync_master
  }

  field "NAME" "msdyn_name" {}
  field "DESCRIPTION" "msdyn_description" {}
  field "NUMBEROFDAYS" "msdyn_days" {}
  field "NUMBEROFMONTHS" "msdyn_numberofmonth" {}
  field "CUTOFFDAYOFMONTH" "msdyn_cutoffdayofmonth" {}
  field "ISCASHPAYMENT" "msdyn_iscashpayment" {
    value_map = { no = false, yes = true }
  }
}

# Three small company-specific tables with the same shape: one block, one
# map per table. The address of each is table_map.payment_reference["KEY"].
locals {
  payment_reference = {
    customer_payment_methods = {
      finops = "CustomerPaymentMethods"
      table  = "msdyn_customerpaymentmethod"
      extra = {
        DISCOUNTGRACEPERIODDAYS = "msdyn_discountgraceperioddays"
        LASTFILENUMBER          = "msdyn_lastfilenumber"
      }
    }
    vendor_payment_methods = {
      finops = "VendorPaymentMethods" # collection name inferred from the label; check with validate -live
      table  = "msdyn_vendorpaymentmethod"
      extra = {
        DISCOUNTGRACEPERIODDAYS = "msdyn_discountgraceperioddays"
        LASTFILENUMBER          = "msdyn_lastfilenumber"
      }
    }
    payment_days = {
      finops = "PaymentDaysCDS" # label "Payment days CDS"; collection name inferred, check with validate -live
      table  = "msdyn_paymentday"
      extra  = {}
    }
  }
}

# The integration key's instance key is the table: integration_key.payment_reference["msdyn_paymentday"].
integration_key "payment_reference" {
  for_each = toset([for r in local.payment_reference : r.table])

  link    = link.main
  columns = ["msdyn_name", "msdyn_company.cdm_companycode"]
}

table_map "payment_reference" {
  for_each = local.payment_reference

  link       = link.main
  finops     = each.value.finops
  dataverse  = "${each.value.table}s" # entity set name: the plural of the logical name
  depends_on = [table_map.legal_entities]

  initial_sync {
    enabled = true
    master  = var.initial_sync_master
  }

  field "NAME" "msdyn_name" {}
  field "DESCRIPTION" "msdyn_description" {}

  dynamic "field" {
    for_each = each.value.extra
    labels   = [field.key, field.value]
    content {}
  }
}
