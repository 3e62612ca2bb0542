# Sales orders entered in Sales flow to Supply Chain Management and back.
# Field list from the published map "CDS sales order headers
# (salesorders)", trimmed.

integration_key "salesorder" {
  link    = link.main
  columns = ["msdyn_salesordernumber", "msdyn_company.cdm_companycode"]
}

table_map "sales_orders" {
  link      = link.main
  finops    = "CDSSalesOrderHeaders" # label "CDS sales order headers"; collection name inferred, check with validate -live
  dataverse = "salesorders"
  depends_on = [
    table_map.customers,
    table_map.customer_contacts,
    table_map.currencies,
    table_map.payment_terms,
  ]

  # Open orders are not copied: the map goes live for new orders only.
  initial_sync {
    enabled = false
  }

  # Only orders integrated with F&O (msdyn_ordertype 192350000 = Item based).
  filter {
    dataverse = "msdyn_ordertype eq 192350000"
  }

  field "SALESORDERNUMBER" "msdyn_salesordernumber" {}
  # A polymorphic lookup, written as Microsoft publishes it: the customer is
  # an account (by accountnumber) or a contact (by msdyn_contactpersonid).
  field "ORDERINGCUSTOMERACCOUNTNUMBER" "customerid.Account(accountnumber).Contact(msdyn_contactpersonid)" {}
  field "INVOICECUSTOMERACCOUNTNUMBER" "msdyn_invoicecustomer.accountnumber" {}
  field "CURRENCYCODE" "transactioncurrencyid.isocurrencycode" {}
  field "PAYMENTTERMSNAME" "msdyn_paymentterms.msdyn_name" {}
  field "CUSTOMERREQUISITIONNUMBER" "msdyn_customerrequisitionnumber" {}
  field "REQUESTEDSHIPPINGDATE" "requestdeliveryby" {}
  field "DELIVERYADDRESSSTREET" "shipto_line1" {}
  field "DELIVERYADDRESSCITY" "shipto_city" {}
  field "DELIVERYADDRESSZIPCODE" "shipto_postalcode" {}
  field "DELIVERYADDRESSCOUNTRYREGIONISOCODE" "shipto_country" {}
  field "SALESORDERNAME" "name" { direction = "to_dataverse" }
  field "ORDERTOTALAMOUNT" "totalamount" { direction = "to_dataverse" } # totals are computed in F&O
  field "ORDERTOTALTAXAMOUNT" "totaltax" { direction = "to_dataverse" }
  field "" "statecode" { default = 0 }  # none >> statecode (Active)
  field "" "statuscode" { default = 1 } # none >> statuscode
}
