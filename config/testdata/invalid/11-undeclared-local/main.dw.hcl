# local.finops_host is used but no locals block defines it.

environment "finops" "fo" {
  url = "https://${local.finops_host}" # ERROR
}

environment "dataverse" "ce" {
  url = "https://contoso.crm.dynamics.com"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
