# The link names an environment nobody declared (typo: fno for fo).

environment "finops" "fo" {
  url = "emulator://invalid"
}

environment "dataverse" "ce" {
  url = "emulator://invalid"
}

link "main" {
  finops    = environment.fno # ERROR
  dataverse = environment.ce
}
