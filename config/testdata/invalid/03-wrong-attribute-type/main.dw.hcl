# initial_writes is a bool; "always" does not convert to one.

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
  link           = link.main
  name           = "Contoso Entertainment System USA"
  initial_writes = "always" # ERROR
}
