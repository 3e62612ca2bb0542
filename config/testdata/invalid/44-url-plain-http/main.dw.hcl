# Plain http:// is refused except to a loopback address.

environment "finops" "fo" {
  url = "http://contoso.operations.dynamics.com" # ERROR
}

environment "dataverse" "ce" {
  url = "https://contoso.crm.dynamics.com"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
