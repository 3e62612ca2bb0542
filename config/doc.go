// Package config loads a directory of *.dw.hcl files and variables into the
// typed Desired model, with hcl.Diagnostics for every problem a user can cause.
//
// It does no I/O beyond reading files and never imports planner, applier,
// providers or emulator.
//
// Import rule: never planner applier live transfer connection providers/... emulator/... state/...
// view cmd/...
package config
