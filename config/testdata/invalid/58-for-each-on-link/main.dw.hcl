# A link cannot be repeated with for_each: dual-write links are 1:1.

environment "finops" "fo" {
  url = "emulator://invalid"
}

environment "dataverse" "ce" {
  url = "emulator://invalid"
}

link "main" {
  for_each  = toset(["a", "b"]) # ERROR
  finops    = environment.fo
  dataverse = environment.ce
}
