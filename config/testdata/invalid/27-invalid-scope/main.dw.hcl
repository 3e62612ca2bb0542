# An F&O number sequence scope is shared, company, legal_entity or operating_unit.

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

number_sequence "vendor_account" {
  link = link.main

  finops {
    code     = "Vend_1"
    scope    = "global" # ERROR
    format   = "F####"
    smallest = 1
    largest  = 9999
  }

  dataverse {
    table  = "msdyn_vendor"
    column = "msdyn_vendoraccountnumber"
    format = "C{SEQNUM:4}"
    seed   = 1
  }
}
