// Package seed fills a new pair: the standard tables (package tables) and, at first start only, the
// data a profile asks for — F&O "empty" (the DAT company and currencies), "demo" or "existing" (more
// companies and rows, number sequences well advanced), Dataverse "empty" (the base currency) or
// "existing" (rows with gaps a bootstrap must fill) — generated from a fixed random seed, so the same
// options give the same rows and ids everywhere.
//
// Import rule: only emulator/dataverse emulator/finops emulator/store emulator/tables emulator/wire
package seed
