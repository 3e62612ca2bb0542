# A value_map maps one F&O value to one Dataverse value, not to a list.

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

  field "CUSTOMERACCOUNT" "accountnumber" {}
  field "ONHOLDSTATUS" "msdyn_onholdstatus" {
    value_map = { no = [806380000], invoice = [806380001] } # ERROR
  }
}
