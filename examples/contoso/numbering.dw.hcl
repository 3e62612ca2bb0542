# Number sequences. Customers and vendors are created in both apps, and
# dual-write does not connect F&O number sequences with Dataverse
# autonumbers, so each pair below must never produce the same value.
# dwctl proves that offline: every string the F&O sequence can produce
# (format x smallest..largest) against every string the autonumber can
# produce (format x seed..infinity).
#
# Seeds are per environment and never carried by solutions; dwctl sets
# them on every apply.

# Customer accounts, by disjoint ranges: F&O USMF hands out US0001-US4999,
# Dataverse US5000 and up ({SEQNUM:4} keeps growing: US10000 is still
# outside F&O's range because F&O stops at four digits).
number_sequence "customer_account_usmf" {
  link = link.main

  finops {
    code     = "Acco_1" # SequenceV2Tables NumberSequenceCode
    scope    = "company"
    company  = "USMF"
    format   = "US####"
    smallest = 1
    largest  = 4999
  }

  dataverse {
    table  = "account"
    column = "accountnumber"
    format = "US{SEQNUM:4}"
    seed   = var.account_seed
  }
}

# USRT numbers its customers with its own prefix. The Dataverse side is the
# same autonumber as above: one sequence for all companies, so dwctl checks
# it against both F&O sequences.
number_sequence "customer_account_usrt" {
  link = link.main

  finops {
    code     = "Acco_1"
    scope    = "company"
    company  = "USRT"
    format   = "RT####"
    smallest = 1
    largest  = 9999
  }

  dataverse {
    table  = "account"
    column = "accountnumber"
    format = "US{SEQNUM:4}"
    seed   = var.account_seed
  }
}

# Vendor accounts, by format: F0001, F0002 ... from F&O; C0001, C0002 ...
# from Dataverse. One shared sequence in F&O for every company.
number_sequence "vendor_account" {
  link = link.main

  finops {
    code     = "Vend_1"
    scope    = "shared"
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
