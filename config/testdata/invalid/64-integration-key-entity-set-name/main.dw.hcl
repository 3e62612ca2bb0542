# An integration key names its table by logical name (account), not by entity
# set name (accounts): that is how the integration-key page shows it.

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

integration_key "Accounts" { # ERROR
  link    = link.main
  columns = ["accountnumber", "msdyn_company.cdm_companycode"]
}
