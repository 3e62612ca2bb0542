// Package copier carries rows between F&O and Dataverse through a compiled map: a whole copy of one
// company (Run.Copy, what an initial sync does, master side winning where both have a row, the
// documented limits checked) and the row writers live sync uses. Values are converted to each side's
// stored form, lookups bound through their targets' keys, and row failures recorded the way the
// service reports them (the first five per company).
//
// Import rule: only emulator/dataverse emulator/finops emulator/store emulator/wire filter mapping
package copier
