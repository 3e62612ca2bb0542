# The variables file gives a string where the type is number.

environment "finops" "fo" {
  url = "emulator://invalid"
}

environment "dataverse" "ce" {
  url = "emulator://invalid"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}

variable "alert_count" {
  type    = number
  default = 10
}
