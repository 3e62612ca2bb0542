# An environment block needs two labels, kind and name; this one has only the kind.

environment "finops" "fo" {
  url = "emulator://invalid"
}

environment "dataverse" { # ERROR
  url = "emulator://invalid"
}
