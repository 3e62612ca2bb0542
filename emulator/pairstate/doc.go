// Package pairstate holds what the emulated control plane keeps about a pair — the link, the maps
// with their versions and runtime states, asynchronous requests, initial-sync results, solution
// requests — and stores it in the pair's store, one settings entry per object (store.go), with the
// last committed state in memory (Cache) and copies to work on (Clone).
//
// Import rule: only emulator/copier emulator/store
package pairstate
