# A blank cdm_company name makes linking fail.

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

company "USMF" {
  link = link.main
  name = "   " # ERROR
}
