# A sensitive variable fails its validation. Its value comes from the
# environment (see the env file) and must appear in no diagnostic, not even
# through an error_message that interpolates it.

variable "client_secret" {
  type      = string
  sensitive = true

  validation {
    condition     = length(regexall("^[A-Za-z0-9~._-]{40}$", var.client_secret)) == 1 # ERROR
    error_message = "The client secret ${var.client_secret} is not a 40-character Entra client secret."
  }
}

environment "finops" "fo" {
  url = "https://contoso.operations.dynamics.com"

  auth {
    method        = "client_secret"
    tenant_id     = "72f988bf-0000-4000-8000-00000000c0de"
    client_id     = "e2a17c55-30b8-4f0a-b6d2-0000000000fd"
    client_secret = var.client_secret
  }
}

environment "dataverse" "ce" {
  url = "https://contoso.crm.dynamics.com"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
