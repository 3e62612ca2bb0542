# The variables file sets stages, but the variable is called stage.

variable "stage" {
  type    = string
  default = "dev"
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
