# Contoso's dual-write setup: one F&O environment and one Dataverse
# environment per stage (dev, test, prod), linked by dual-write.
#
#   dwctl validate -var-file=prod.dwvars
#   dwctl plan     -var-file=test.dwvars -out=test.dwplan   # reviewed in the pull request
#   dwctl apply    test.dwplan                              # run by the release pipeline

dwctl {
  required_version = ">= 0.1"
  publisher        = "contoso" # map versions dwctl saves are published as "contoso"

  state "local" {
    path = ".dwctl/${var.stage}.state.json"
  }
}

locals {
  # Production has its own host names; the other stages are sandboxes.
  finops_host = {
    dev  = "contoso-dev.sandbox.operations.dynamics.com"
    test = "contoso-uat.sandbox.operations.dynamics.com"
    prod = "contoso.operations.dynamics.com"
  }
  dataverse_org = {
    dev  = "contoso-dev"
    test = "contoso-uat"
    prod = "contoso"
  }
  european_names = {
    DEMF = "Contoso Entertainment System Germany"
    FRSI = "Contoso Entertainment System France"
    GBSI = "Contoso Entertainment System UK"
  }

  # The release pipeline signs in with the app registration's secret
  # (DWCTL_VAR_client_secret); on a workstation, without a secret, dwctl
  # uses the Azure CLI's login (az login).
  auth_method = var.client_secret == "" ? "azure_cli" : "client_secret"
}

environment "finops" "fo" {
  url = "https://${local.finops_host[var.stage]}"

  auth {
    method        = local.auth_method
    tenant_id     = var.tenant_id
    client_id     = var.client_id
    client_secret = var.client_secret
  }
}

environment "dataverse" "ce" {
  url = "https://${local.dataverse_org[var.stage]}.crm.dynamics.com"

  auth {
    method        = local.auth_method
    tenant_id     = var.tenant_id
    client_id     = var.client_id
    client_secret = var.client_secret
  }
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce

  # The dual-write control plane. Microsoft publishes no API for it; dwctl
  # speaks the management gateway its own automation uses (unsupported by
  # Microsoft). The cluster part of the host is the one the dual-write
  # workspace calls in the browser.
  control {
    gateway = "https://projectmanagementservice.weu-il107.gateway.prod.island.powerapps.com"
  }

  # When either app has an outage, pause the maps so changes queue up
  # instead of failing users' saves. The service applies a changed alert to
  # a map only when the map is next started.
  alert "outage" {
    errors     = ["application", "network"]
    threshold  = { count = 10, within = "15m" }
    action     = "pause"
    recipients = var.alert_recipients
  }

  # A reset deletes every map, key, the company list and the history.
  lifecycle {
    prevent_destroy = true
  }
}

# The US companies. USMF has CRM data that predates dual-write: its US
# accounts and contacts get the company before the maps start.
company "USMF" {
  link        = link.main
  name        = "Contoso Entertainment System USA"
  owning_team = "USMF DW"

  bootstrap {
    tables = ["account", "contact"]
    where  = "address1_country eq 'USA'"
  }
}

company "USRT" {
  link        = link.main
  name        = "Contoso Retail USA"
  owning_team = "USRT DW"
}

# The European companies were added to the running link later, without
# initial writes: their data was migrated on both sides beforehand.
# Addresses: company.europe["DEMF"], company.europe["FRSI"], ...
company "europe" {
  for_each = { for id in var.european_companies : id => local.european_names[id] }

  link           = link.main
  name           = each.value
  owning_team    = "${each.key} DW"
  initial_writes = false
}
