# The service's initial sync from Dataverse is not supported for maps with
# 10 or more lookups: a warning (the service fails at run time), not an error.

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

integration_key "account" {
  link    = link.main
  columns = ["accountnumber", "msdyn_company.cdm_companycode"]
}

table_map "customers" {
  link      = link.main
  finops    = "CustomersV3"
  dataverse = "accounts"

  initial_sync { # WARNING
    enabled = true
    master  = "dataverse"
    mode    = "service"
  }

  field "CUSTOMERACCOUNT" "accountnumber" {}
  field "ORGANIZATIONNAME" "name" {}
  field "CUSTOMERGROUPID" "msdyn_customergroupid.msdyn_groupid" {}
  field "SALESCURRENCYCODE" "transactioncurrencyid.isocurrencycode" {}
  field "INVOICEACCOUNT" "msdyn_billingaccount.accountnumber" {}
  field "PAYMENTDAY" "msdyn_paymentday.msdyn_name" {}
  field "PAYMENTMETHOD" "msdyn_customerpaymentmethod.msdyn_name" {}
  field "PAYMENTSCHEDULE" "msdyn_paymentschedule.msdyn_name" {}
  field "PAYMENTTERMS" "msdyn_paymentterm.msdyn_name" {}
  field "VENDORACCOUNT" "msdyn_vendor.msdyn_vendoraccountnumber" {}
  field "CONTACTPERSONID" "primarycontactid.msdyn_contactpersonid" {}
  field "SALESTAXGROUP" "msdyn_salestaxgroup.msdyn_name" {}
}
