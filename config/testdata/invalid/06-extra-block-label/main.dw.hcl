# A company block has one label, the company id.

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

company "USMF" "Contoso Entertainment System USA" { # ERROR
  link = link.main
  name = "Contoso Entertainment System USA"
}
