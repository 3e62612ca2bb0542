# An environment's kind is finops or dataverse; crm is the old name.

environment "finops" "fo" {
  url = "emulator://invalid"
}

environment "crm" "ce" { # ERROR
  url = "emulator://invalid"
}
