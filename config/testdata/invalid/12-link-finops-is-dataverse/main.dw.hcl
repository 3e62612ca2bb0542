# The link's finops side points at a Dataverse environment.

environment "dataverse" "sales" {
  url = "https://contoso-sales.crm.dynamics.com"
}

environment "dataverse" "ce" {
  url = "https://contoso.crm.dynamics.com"
}

link "main" {
  finops    = environment.sales # ERROR
  dataverse = environment.ce
}
