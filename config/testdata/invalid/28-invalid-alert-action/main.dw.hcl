# An alert pauses or stops the maps; it cannot disable them.

environment "finops" "fo" {
  url = "emulator://invalid"
}

environment "dataverse" "ce" {
  url = "emulator://invalid"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce

  alert "outage" {
    errors     = ["application"]
    threshold  = { count = 10, within = "15m" }
    action     = "disable" # ERROR
    recipients = ["ops@contoso.com"]
  }
}
