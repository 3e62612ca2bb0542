# An attribute the environment block does not have.

environment "finops" "fo" {
  url    = "emulator://invalid"
  region = "westeurope" # ERROR
}

environment "dataverse" "ce" {
  url = "emulator://invalid"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
