# Company ids are case-insensitive: usmf is USMF again.

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
  name = "Contoso Entertainment System USA"
}

company "usmf" { # ERROR
  link = link.main
  name = "Contoso Entertainment System USA (2)"
}
