# Customers: groups, organisations (accounts) and persons (contacts).
# Field lists follow Microsoft's published maps "Customer groups
# (msdyn_customergroups)", "Customers V3 (accounts)" and "Customers V3
# (contacts)", trimmed to the columns Contoso uses.

integration_key "msdyn_customergroup" {
  link    = link.main
  columns = ["msdyn_groupid", "msdyn_company.cdm_companycode"]
}

# msdyn_company.cdm_companycode is the company column: dual-write adds it
# to the key of company-specific maps and fills it from the row's company,
# so no map below maps it.
integration_key "account" {
  link    = link.main
  columns = ["accountnumber", "msdyn_company.cdm_companycode"]
}

integration_key "contact" {
  link    = link.main
  columns = ["msdyn_contactpersonid", "msdyn_company.cdm_companycode"]
}

# Parties (the global address book) are shared by every company: the key
# has no company column. The party type is an F&O enum on one side and an
# option set on the other, translated by a value map.
integration_key "msdyn_party" {
  link    = link.main
  columns = ["msdyn_partynumber"]
}

table_map "parties" {
  link      = link.main
  finops    = "CDSParties" # label "CDS Parties" (Party & GAB solution); collection name inferred, check with validate -live
  dataverse = "msdyn_parties"

  initial_sync {
    enabled = true
    master  = "finops"
  }

  field "PARTYNUMBER" "msdyn_partynumber" {}
  field "NAME" "msdyn_name" {}
  field "PARTYTYPE" "msdyn_partytype" {
    value_map = {
      none          = 192350000
      person        = 192350001
      organization  = 192350002
      legalEntity   = 192350003
      team          = 192350004
      operatingUnit = 192350005
    }
  }
}

table_map "customer_groups" {
  link       = link.main
  finops     = "CustomerGroups"
  dataverse  = "msdyn_customergroups"
  state      = var.customer_map_state
  depends_on = [table_map.payment_terms]

  initial_sync {
    enabled = true
    master  = var.initial_sync_master
  }

  field "CUSTOMERGROUPID" "msdyn_groupid" {}
  field "DESCRIPTION" "msdyn_description" {}
  field "ISSALESTAXINCLUDEDINPRICE" "msdyn_issalestaxincludedinprice" {
    value_map = { no = false, yes = true }
  }
  field "PAYMENTTERMID" "msdyn_paymenttermid.msdyn_name" {}
}

table_map "customers" {
  link      = link.main
  finops    = "CustomersV3"
  dataverse = "accounts"
  state     = var.customer_map_state
  depends_on = [
    table_map.currencies,
    table_map.customer_groups,
    table_map.payment_terms,
  ]

  # Customers V3 is single-threaded on import and large at Contoso
  # (well over 500,000 rows in USMF), so dwctl copies the rows itself
  # through the data APIs and then starts the map with initial sync skipped.
  initial_sync {
    enabled = true
    master  = "finops"
    mode    = "dwctl"
  }

  # Organisations only; persons are the contacts map below.
  filter {
    finops    = "((PartyType == \"Organization\"))"
    dataverse = "customertypecode eq 3"
  }

  field "CUSTOMERACCOUNT" "accountnumber" {}
  field "ORGANIZATIONNAME" "name" {}
  field "PARTYNUMBER" "msdyn_partynumber" {}
  field "CUSTOMERGROUPID" "msdyn_customergroupid.msdyn_groupid" {}
  field "SALESCURRENCYCODE" "transactioncurrencyid.isocurrencycode" {}
  field "PAYMENTTERMS" "msdyn_paymentterm.msdyn_name" {}
  field "INVOICEACCOUNT" "msdyn_billingaccount.accountnumber" {}
  field "CREDITLIMIT" "creditlimit" {}
  field "CREDITRATING" "msdyn_creditrating" {}
  field "PRIMARYCONTACTEMAIL" "emailaddress1" {}
  field "PRIMARYCONTACTPHONE" "telephone1" {}
  field "PRIMARYCONTACTURL" "websiteurl" {}
  field "SALESMEMO" "description" {}
  field "DELIVERYADDRESSSTREET" "address1_line1" {}
  field "DELIVERYADDRESSCITY" "address1_city" {}
  field "DELIVERYADDRESSZIPCODE" "address1_postalcode" {}
  field "DELIVERYADDRESSCOUNTRYREGIONISOCODE" "address1_country" {}
  field "DELIVERYADDRESSLATITUDE" "address1_latitude" { direction = "to_dataverse" } # ">" as published
  field "DELIVERYADDRESSLONGITUDE" "address1_longitude" { direction = "to_dataverse" }
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
  field "ISONETIMECUSTOMER" "msdyn_onetimecustomer" {
    value_map = { no = false, yes = true }
  }
  field "" "customertypecode" { default = 3 }         # none >> customertypecode (3 = Customer)
  field "" "address1_addresstypecode" { default = 2 } # none >> address1_addresstypecode
  field "PARTYTYPE" "" { default = "Organization" }   # PARTYTYPE << none
  field "LANGUAGEID" "" { default = "en-us" }         # LANGUAGEID << none
}

# The second map into contacts is "CDS Contacts V2 (contacts)" in
# vendors.dw.hcl; the two filters keep their rows apart.
table_map "customer_contacts" {
  link       = link.main
  finops     = "CustomersV3"
  dataverse  = "contacts"
  state      = var.customer_map_state
  depends_on = [table_map.customer_groups, table_map.currencies]

  initial_sync {
    enabled = true
    master  = var.initial_sync_master
  }

  filter {
    finops    = "((PartyType == \"Person\"))"
    dataverse = "msdyn_sellable eq true and msdyn_contactpersonid ne null"
  }

  field "CUSTOMERACCOUNT" "msdyn_contactpersonid" {}
  field "PARTYNUMBER" "msdyn_partynumber" {}
  field "CUSTOMERGROUPID" "msdyn_customergroupid.msdyn_groupid" {}
  field "SALESCURRENCYCODE" "transactioncurrencyid.isocurrencycode" {}
  field "PERSONFIRSTNAME" "firstname" {}
  field "PERSONMIDDLENAME" "middlename" {}
  field "PERSONLASTNAME" "lastname" {}
  field "PERSONPROFESSIONALTITLE" "jobtitle" {}
  field "PRIMARYCONTACTEMAIL" "emailaddress1" {}
  field "PRIMARYCONTACTPHONE" "telephone1" {}
  field "ADDRESSSTREET" "address1_line1" {}
  field "ADDRESSCITY" "address1_city" {}
  field "ADDRESSZIPCODE" "address1_postalcode" {}
  field "ADDRESSCOUNTRYREGIONISOCODE" "address1_country" {}
  field "" "msdyn_sellable" { default = true } # none >> msdyn_sellable
  field "" "address1_addresstypecode" { default = 3 }
  field "PARTYTYPE" "" { default = "Person" }              # PARTYTYPE << none
  field "ADDRESSLOCATIONROLES" "" { default = "Business" } # ADDRESSLOCATIONROLES << none
  field "LANGUAGEID" "" { default = "en-us" }
}
