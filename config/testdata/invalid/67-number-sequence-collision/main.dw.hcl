# The ranges overlap: F&O hands out US0001-US9999 and Dataverse starts at
# US5000, so both can produce US5000. Reported at the number_sequence block.

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

company "USMF" {
  link = link.main
  name = "Contoso Entertainment System USA"
}

number_sequence "customer_account" { # ERROR
  link = link.main

  finops {
    code     = "Acco_1"
    scope    = "company"
    company  = "USMF"
    format   = "US####"
    smallest = 1
    largest  = 9999
  }

  dataverse {
    table  = "account"
    column = "accountnumber"
    format = "US{SEQNUM:4}"
    seed   = 5000
  }
}
