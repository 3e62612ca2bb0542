# Two maps that depend on each other. The cycle is reported once, at the
# map whose address sorts first.

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

integration_key "msdyn_customergroup" {
  link    = link.main
  columns = ["msdyn_groupid", "msdyn_company.cdm_companycode"]
}

integration_key "msdyn_paymentterm" {
  link    = link.main
  columns = ["msdyn_name", "msdyn_company.cdm_companycode"]
}

table_map "customer_groups" { # ERROR
  link       = link.main
  finops     = "CustomerGroups"
  dataverse  = "msdyn_customergroups"
  depends_on = [table_map.payment_terms]

  field "CUSTOMERGROUPID" "msdyn_groupid" {}
}

table_map "payment_terms" {
  link       = link.main
  finops     = "PaymentTerms"
  dataverse  = "msdyn_paymentterms"
  depends_on = [table_map.customer_groups]

  field "NAME" "msdyn_name" {}
}
