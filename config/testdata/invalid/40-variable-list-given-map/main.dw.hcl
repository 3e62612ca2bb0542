# alert_recipients is a list(string); the variables file gives a map.

environment "finops" "fo" {
  url = "emulator://invalid"
}

environment "dataverse" "ce" {
  url = "emulator://invalid"
}

variable "alert_recipients" {
  type    = list(string)
  default = ["ops@contoso.com"]
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce

  alert "outage" {
    errors     = ["application"]
    threshold  = { count = 10, within = "15m" }
    action     = "pause"
    recipients = var.alert_recipients
  }
}
