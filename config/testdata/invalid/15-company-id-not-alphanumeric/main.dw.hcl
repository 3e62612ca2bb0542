# F&O company ids are letters and digits only.

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

company "US-M" { # ERROR
  link = link.main
  name = "Contoso Entertainment System USA"
}
