# The object type needs both id and name; the variables file gives only name.

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

variable "primary_company" {
  type    = object({ id = string, name = string })
  default = { id = "USMF", name = "Contoso Entertainment System USA" }
}

company "main" {
  for_each = { (var.primary_company.id) = var.primary_company.name }

  link = link.main
  name = each.value
}
