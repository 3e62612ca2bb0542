# Two companies with one name make linking fail ("An item with the same key has already been added").

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
  name = "Contoso"
}

company "USRT" {
  link = link.main
  name = "Contoso" # ERROR
}
