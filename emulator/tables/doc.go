// Package tables declares the tables a pair starts with: the Dataverse tables and F&O public data
// entities of the out-of-box dual-write maps (dual-write.md §4.9), with their columns, keys and option
// sets, and the builders to declare more (custom tables created through EntityDefinitions use them).
//
// Import rule: only emulator/store emulator/wire
package tables
