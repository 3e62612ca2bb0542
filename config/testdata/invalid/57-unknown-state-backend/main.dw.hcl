# State lives in "local" or "pg"; there is no s3 backend.

dwctl {
  publisher = "contoso"

  state "s3" { # ERROR
    path = "dwctl/state.json"
  }
}

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
