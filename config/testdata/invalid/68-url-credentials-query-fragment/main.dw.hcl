# A URL carries no credentials, query or fragment: credentials go into the auth block, and dwctl
# would drop a query or fragment silently. The password is never quoted back.

environment "finops" "fo" {
  url = "https://admin:hunter2@contoso.operations.dynamics.com" # ERROR
}

environment "dataverse" "ce" {
  url = "https://contoso.crm.dynamics.com/?tenant=contoso" # ERROR
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
  control {
    gateway = "https://projectmanagementservice.weu-il107.gateway.prod.island.powerapps.com#top" # ERROR
  }
}
