# Environment names are unique across kinds.

environment "finops" "contoso" {
  url = "https://contoso.operations.dynamics.com"
}

environment "dataverse" "contoso" { # ERROR
  url = "https://contoso.crm.dynamics.com"
}
