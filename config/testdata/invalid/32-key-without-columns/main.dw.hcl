# An integration key has 1 to 16 columns.

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

integration_key "transactioncurrency" {
  link    = link.main
  columns = [] # ERROR
}
