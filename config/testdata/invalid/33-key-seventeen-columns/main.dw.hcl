# A Dataverse alternate key, and so an integration key, has at most 16 columns.

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

integration_key "msdyn_widget" {
  link = link.main
  columns = [ # ERROR
    "msdyn_keypart01",
    "msdyn_keypart02",
    "msdyn_keypart03",
    "msdyn_keypart04",
    "msdyn_keypart05",
    "msdyn_keypart06",
    "msdyn_keypart07",
    "msdyn_keypart08",
    "msdyn_keypart09",
    "msdyn_keypart10",
    "msdyn_keypart11",
    "msdyn_keypart12",
    "msdyn_keypart13",
    "msdyn_keypart14",
    "msdyn_keypart15",
    "msdyn_keypart16",
    "msdyn_keypart17",
  ]
}
