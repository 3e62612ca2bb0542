# link = must name a link, not an environment.

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
  link = environment.fo # ERROR
  name = "Contoso Entertainment System USA"
}
