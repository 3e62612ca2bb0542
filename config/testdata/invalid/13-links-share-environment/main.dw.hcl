# Dual-write is 1:1: two links may not share the Dataverse environment.

environment "finops" "fo" {
  url = "https://contoso.operations.dynamics.com"
}

environment "finops" "fo_retail" {
  url = "https://contoso-retail.operations.dynamics.com"
}

environment "dataverse" "ce" {
  url = "https://contoso.crm.dynamics.com"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}

link "retail" { # ERROR
  finops    = environment.fo_retail
  dataverse = environment.ce
}
