# With for_each, each key is a company id: US_RT is not 1-4 letters or digits.

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

company "us" { # ERROR
  for_each = {
    USMF  = "Contoso Entertainment System USA"
    US_RT = "Contoso Retail USA"
  }

  link = link.main
  name = each.value
}
