# The stage variable's validation refuses "staging"; the error points at
# the value in the variables file.

variable "stage" {
  type    = string
  default = "dev"

  validation {
    condition     = contains(["dev", "test", "prod"], var.stage)
    error_message = "The stage must be dev, test or prod."
  }
}

environment "finops" "fo" {
  url = "https://contoso-${var.stage}.sandbox.operations.dynamics.com"
}

environment "dataverse" "ce" {
  url = "https://contoso-${var.stage}.crm.dynamics.com"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
