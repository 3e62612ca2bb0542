# Dual-write takes at most 40 legal entities per link; the 41st is reported.
# Generated: C001 to C041.

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

company "C001" {
  link = link.main
  name = "Contoso subsidiary 001"
}

company "C002" {
  link = link.main
  name = "Contoso subsidiary 002"
}

company "C003" {
  link = link.main
  name = "Contoso subsidiary 003"
}

company "C004" {
  link = link.main
  name = "Contoso subsidiary 004"
}

company "C005" {
  link = link.main
  name = "Contoso subsidiary 005"
}

company "C006" {
  link = link.main
  name = "Contoso subsidiary 006"
}

company "C007" {
  link = link.main
  name = "Contoso subsidiary 007"
}

company "C008" {
  link = link.main
  name = "Contoso subsidiary 008"
}

company "C009" {
  link = link.main
  name = "Contoso subsidiary 009"
}

company "C010" {
  link = link.main
  name = "Contoso subsidiary 010"
}

company "C011" {
  link = link.main
  name = "Contoso subsidiary 011"
}

company "C012" {
  link = link.main
  name = "Contoso subsidiary 012"
}

company "C013" {
  link = link.main
  name = "Contoso subsidiary 013"
}

company "C014" {
  link = link.main
  name = "Contoso subsidiary 014"
}

company "C015" {
  link = link.main
  name = "Contoso subsidiary 015"
}

company "C016" {
  link = link.main
  name = "Contoso subsidiary 016"
}

company "C017" {
  link = link.main
  name = "Contoso subsidiary 017"
}

company "C018" {
  link = link.main
  name = "Contoso subsidiary 018"
}

company "C019" {
  link = link.main
  name = "Contoso subsidiary 019"
}

company "C020" {
  link = link.main
  name = "Contoso subsidiary 020"
}

company "C021" {
  link = link.main
  name = "Contoso subsidiary 021"
}

company "C022" {
  link = link.main
  name = "Contoso subsidiary 022"
}

company "C023" {
  link = link.main
  name = "Contoso subsidiary 023"
}

company "C024" {
  link = link.main
  name = "Contoso subsidiary 024"
}

company "C025" {
  link = link.main
  name = "Contoso subsidiary 025"
}

company "C026" {
  link = link.main
  name = "Contoso subsidiary 026"
}

company "C027" {
  link = link.main
  name = "Contoso subsidiary 027"
}

company "C028" {
  link = link.main
  name = "Contoso subsidiary 028"
}

company "C029" {
  link = link.main
  name = "Contoso subsidiary 029"
}

company "C030" {
  link = link.main
  name = "Contoso subsidiary 030"
}

company "C031" {
  link = link.main
  name = "Contoso subsidiary 031"
}

company "C032" {
  link = link.main
  name = "Contoso subsidiary 032"
}

company "C033" {
  link = link.main
  name = "Contoso subsidiary 033"
}

company "C034" {
  link = link.main
  name = "Contoso subsidiary 034"
}

company "C035" {
  link = link.main
  name = "Contoso subsidiary 035"
}

company "C036" {
  link = link.main
  name = "Contoso subsidiary 036"
}

company "C037" {
  link = link.main
  name = "Contoso subsidiary 037"
}

company "C038" {
  link = link.main
  name = "Contoso subsidiary 038"
}

company "C039" {
  link = link.main
  name = "Contoso subsidiary 039"
}

company "C040" {
  link = link.main
  name = "Contoso subsidiary 040"
}

company "C041" { # ERROR
  link = link.main
  name = "Contoso subsidiary 041"
}
