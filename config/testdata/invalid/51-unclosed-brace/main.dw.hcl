# The link block is never closed.

environment "finops" "fo" {
  url = "emulator://invalid"
}

environment "dataverse" "ce" {
  url = "emulator://invalid"
}

link "main" { # ERROR
  finops    = environment.fo
  dataverse = environment.ce
