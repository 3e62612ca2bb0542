# An emulator URL may name the seed data of its side and the rows per table:
# emulator://NAME?seed=SET&rows=N. Dataverse has no demo seed, rows is a
# positive number, and no other option exists.

environment "finops" "fo" {
  url = "emulator://pair?seed=existing&rows=0&colour=blue" # ERROR # ERROR
}

environment "dataverse" "ce" {
  url = "emulator://pair?seed=demo" # ERROR
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
