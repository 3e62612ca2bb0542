# Vendors: groups, vendors and vendor contacts. Field lists follow the
# published maps "Vendor groups (msdyn_vendorgroups)", "Vendors V2
# (msdyn_vendors)" and "CDS Contacts V2 (contacts)", trimmed.

integration_key "msdyn_vendorgroup" {
  link    = link.main
  columns = ["msdyn_vendorgroup", "msdyn_company.cdm_companycode"]
}

integration_key "msdyn_vendor" {
  link    = link.main
  columns = ["msdyn_vendoraccountnumber", "msdyn_company.cdm_companycode"]
}

table_map "vendor_groups" {
  link       = link.main
  finops     = "VendorGroups"
  dataverse  = "msdyn_vendorgroups"
  depends_on = [table_map.payment_terms]

  initial_sync {
    enabled = true
    master  = var.initial_sync_master
  }

  field "VENDORGROUPID" "msdyn_vendorgroup" {}
  field "DESCRIPTION" "msdyn_description" {}
  field "DEFAULTPAYMENTTERMNAME" "msdyn_paymentterms.msdyn_name" {}
}

table_map "vendors" {
  link      = link.main
  finops    = "VendorsV2"
  dataverse = "msdyn_vendors"
  depends_on = [
    table_map.vendor_groups,
    table_map.currencies,
    table_map.payment_terms,
    table_map.payment_reference["vendor_payment_methods"],
  ]

  initial_sync {
    enabled = true
    master  = "finops" # single-threaded table: F&O is loaded first, then pushed
  }

  filter {
    finops = "((VendorPartyType == \"Organization\") || (VendorPartyType == \"Person\"))"
  }

  field "VENDORACCOUNTNUMBER" "msdyn_vendoraccountnumber" {}
  field "VENDORORGANIZATIONNAME" "msdyn_name" {}
  field "VENDORKNOWNASNAME" "msdyn_vendorknownasname" {}
  field "VENDORPARTYNUMBER" "msdyn_vendorpartynumber" {}
  field "VENDORGROUPID" "msdyn_vendorgroupid.msdyn_vendorgroup" {}
  field "CURRENCYCODE" "msdyn_currencycode.isocurrencycode" {}
  field "DEFAULTPAYMENTTERMSNAME" "msdyn_paymentterms.msdyn_name" {}
  field "DEFAULTVENDORPAYMENTMETHODNAME" "msdyn_vendorpaymentmethod.msdyn_name" {}
  field "VENDORPARTYTYPE" "msdyn_isperson" {
    value_map = { organization = false, person = true }
  }
  field "PERSONFIRSTNAME" "msdyn_firstname" {}
  field "PERSONLASTNAME" "msdyn_lastname" {}
  field "CREDITLIMIT" "msdyn_vendorcreditlimit" {}
  field "DUNSNUMBER" "msdyn_dunsnumber" {}
  field "PRIMARYEMAILADDRESS" "msdyn_primaryemailaddress" {}
  field "PRIMARYPHONENUMBER" "msdyn_pimaryphonenumber" {} # sic: the column's name as Microsoft ships it
  field "ADDRESSSTREET" "msdyn_addressstreet" {}
  field "ADDRESSCITY" "msdyn_addresscity" {}
  field "ADDRESSZIPCODE" "msdyn_addresszipcode" {}
  field "ADDRESSCOUNTRYREGIONISOCODE" "msdyn_addresscountryregionisocode" {}
  field "ADDRESSLATITUDE" "msdyn_addresslatitude" { direction = "to_dataverse" } # ">>" as published
  field "ADDRESSLONGITUDE" "msdyn_addresslongitude" { direction = "to_dataverse" }
  field "ISONETIMEVENDOR" "msdyn_isonetimevendor" {
    value_map = { no = false, yes = true }
  }
}

# "CDS Contacts V2 (contacts)", vendor flavour: the second map into
# contacts, kept apart from customer_contacts by its filters.
table_map "vendor_contacts" {
  link       = link.main
  finops     = "CDSContactsV2" # public collection of smmContactPersonCDSV2Entity; name inferred, check with validate -live
  dataverse  = "contacts"
  depends_on = [table_map.vendors]

  initial_sync {
    enabled = false # contacts were migrated on both sides; start without copying
  }

  # Published as "(AssociatedContactType = 1)", which dwctl accepts with a
  # warning; written here in the canonical form dwctl prints.
  filter {
    finops    = "(AssociatedContactType == 1)"
    dataverse = "msdyn_contactforvendor eq true and msdyn_sellable eq false and msdyn_contactpersonid ne null"
  }

  field "CONTACTPERSONID" "msdyn_contactpersonid" {}
  field "CONTACTPERSONPARTYNUMBER" "msdyn_partynumber" {}
  field "ASSOCIATEDCONTACTNUMBER" "msdyn_vendorcontactid.msdyn_vendoraccountnumber" {}
  field "FIRSTNAME" "firstname" {}
  field "MIDDLENAME" "middlename" {}
  field "LASTNAME" "lastname" {}
  field "EMPLOYMENTPROFESSION" "jobtitle" {}
  field "EMPLOYMENTDEPARTMENT" "department" {}
  field "PRIMARYEMAILADDRESS" "emailaddress1" {}
  field "PRIMARYPHONENUMBER" "telephone1" {}
  field "" "msdyn_contactforvendor" { default = true }    # none >> msdyn_contactforvendor
  field "ASSOCIATEDCONTACTTYPE" "" { default = "Vendor" } # ASSOCIATEDCONTACTTYPE << none
}
