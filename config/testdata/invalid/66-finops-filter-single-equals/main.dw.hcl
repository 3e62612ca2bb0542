# The published vendor-contact filter uses a single = ; dwctl accepts it with a
# warning and the canonical rewrite (AssociatedContactType == 1).

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

integration_key "contact" {
  link    = link.main
  columns = ["msdyn_contactpersonid", "msdyn_company.cdm_companycode"]
}

table_map "vendor_contacts" {
  link      = link.main
  finops    = "CDSContactsV2"
  dataverse = "contacts"

  filter {
    finops    = "(AssociatedContactType = 1)" # WARNING
    dataverse = "msdyn_contactforvendor eq true and msdyn_sellable eq false"
  }

  field "CONTACTPERSONID" "msdyn_contactpersonid" {}
  field "LASTNAME" "lastname" {}
}
