# Tests of the quickstart's maps: `dwctl test` runs sample rows of one side
# through a map's filter and field mappings, offline, and checks the rows it
# writes to the other side, in order. An expected row names the columns it
# checks; lookup paths are quoted.

test "currencies go to Dataverse with the constant exchange rate" {
  map = table_map.currencies

  finops = [
    { CURRENCYCODE = "EUR", NAME = "Euro", SYMBOL = "€" },
  ]

  expect = [
    { isocurrencycode = "EUR", currencyname = "Euro", currencysymbol = "€", exchangerate = 1 },
  ]
}

test "the placeholder currency 999 stays in F&O" {
  map = table_map.currencies

  finops = [
    { CURRENCYCODE = "999", NAME = "Placeholder" },
  ]

  expect = []
}

test "customer groups map the tax flag to a boolean" {
  map = table_map.customer_groups

  finops = [
    { CUSTOMERGROUPID = "10", DESCRIPTION = "Wholesale", ISSALESTAXINCLUDEDINPRICE = "yes" },
  ]

  expect = [
    { msdyn_groupid = "10", msdyn_description = "Wholesale", msdyn_issalestaxincludedinprice = true },
  ]
}

test "organisations become accounts, persons stay out" {
  map = table_map.customers

  finops = [
    {
      CUSTOMERACCOUNT   = "US-001"
      ORGANIZATIONNAME  = "Contoso Retail"
      PARTYTYPE         = "Organization"
      CUSTOMERGROUPID   = "10"
      SALESCURRENCYCODE = "USD"
      CREDITLIMIT       = 5000
      ONHOLDSTATUS      = "invoice"
    },
    { CUSTOMERACCOUNT = "US-002", PARTYTYPE = "Person" }, # persons are the contacts' business
  ]

  expect = [
    {
      accountnumber                           = "US-001"
      name                                    = "Contoso Retail"
      "msdyn_customergroupid.msdyn_groupid"   = "10"
      "transactioncurrencyid.isocurrencycode" = "USD"
      creditlimit                             = 5000
      msdyn_onholdstatus                      = 806380001
      customertypecode                        = 3
    },
  ]
}

test "accounts from Dataverse get the F&O defaults" {
  map = table_map.customers

  dataverse = [
    { accountnumber = "CRM-001", name = "Fabrikam", customertypecode = 3, msdyn_onholdstatus = 806380000 },
  ]

  expect = [
    {
      CUSTOMERACCOUNT  = "CRM-001"
      ORGANIZATIONNAME = "Fabrikam"
      ONHOLDSTATUS     = "no"
      PARTYTYPE        = "Organization"
      LANGUAGEID       = "en-us"
    },
  ]
}

test "an on-hold status the value map lacks fails" {
  map = table_map.customers

  finops = [
    { CUSTOMERACCOUNT = "US-003", PARTYTYPE = "Organization", ONHOLDSTATUS = "sometimes" },
  ]

  expect_error = "has no entry in the value map"
}
