# for_each takes a map or a set of strings, not a single string.

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

company "us" {
  for_each = "USMF" # ERROR

  link = link.main
  name = each.value
}
