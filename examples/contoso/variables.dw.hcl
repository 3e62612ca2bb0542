# Input variables. Values come from, lowest precedence first: the default,
# the environment (DWCTL_VAR_<name>), *.auto.dwvars files, then -var and
# -var-file on the command line in the order given:
#
#   dwctl plan -var-file=test.dwvars -out=test.dwplan

variable "stage" {
  type        = string
  default     = "dev"
  description = "The release stage; picks the environment pair and its settings."

  validation {
    condition     = contains(["dev", "test", "prod"], var.stage)
    error_message = "The stage must be dev, test or prod."
  }
}

# The Entra app registration dwctl signs in with. Every auth value is
# sensitive: dwctl redacts it in plans, state, logs and diagnostics.
variable "tenant_id" {
  type        = string
  sensitive   = true
  description = "Microsoft Entra tenant of both environments (dual-write needs one tenant)."
}

variable "client_id" {
  type        = string
  sensitive   = true
  description = "Application (client) id of the dwctl app registration of this stage."
}

variable "client_secret" {
  type        = string
  sensitive   = true
  default     = ""
  description = <<-EOT
    Client secret of the app registration. Never put it in a .dwvars file:
    the release pipeline exports it as DWCTL_VAR_client_secret from its
    secret store. Left empty, dwctl signs in with the Azure CLI login
    (az login), which is how people run plan on their own machines.
  EOT
}

variable "alert_recipients" {
  type        = list(string)
  default     = ["dual-write-ops@contoso.com"]
  description = "Who is mailed when the outage alert pauses the maps."
}

variable "initial_sync_master" {
  type        = string
  default     = "finops"
  description = "Side that wins conflicts in initial syncs (F&O holds the master data at Contoso)."

  validation {
    condition     = contains(["finops", "dataverse"], var.initial_sync_master)
    error_message = "The master must be \"finops\" or \"dataverse\"."
  }
}

variable "customer_map_state" {
  type        = string
  default     = "running"
  description = "Desired state of the customer maps; set to paused during data migrations."
}

variable "account_seed" {
  type        = number
  default     = 5000
  description = "Where this environment's Dataverse account autonumber continues. Seeds are per environment and never travel with solutions; F&O numbers USMF's customers up to US4999, so the seed stays above."

  validation {
    condition     = var.account_seed >= 5000
    error_message = "The account seed must be 5000 or more: F&O uses US0001 to US4999."
  }
}

variable "european_companies" {
  type        = list(string)
  default     = ["DEMF", "FRSI", "GBSI"]
  description = "The European legal entities this environment links (development links fewer)."
}
