# threshold.within is a duration such as "15m"; "15 minutes" is not one.

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
    errors    = ["application", "network"]
    threshold = { count = 10, within = "15 minutes" } # ERROR
    action    = "pause"
  }
}
