# F&O company ids are 1 to 4 letters or digits; USMF1 has five.

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

company "USMF1" { # ERROR
  link = link.main
  name = "Contoso Entertainment System USA"
}
