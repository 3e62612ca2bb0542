# An environment URL is https://HOST or emulator://NAME; a bare host is neither.

environment "finops" "fo" {
  url = "https://contoso.operations.dynamics.com"
}

environment "dataverse" "ce" {
  url = "contoso.crm.dynamics.com" # ERROR
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
