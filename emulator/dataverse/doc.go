// Package dataverse is the emulated Dataverse Web API (/api/data/v9.2/) of one environment over the
// pair's store: entity sets, single rows, alternate keys, change tracking, EntityDefinitions (with
// custom tables, columns and keys), autonumber columns and the company plug-in (a cdm_company row
// enabled for dual-write gets a business unit and a "CODE DW" owner team). Dual-write takes part in
// its writes through Hooks (the runtime guard, live sync, solution components).
//
// See the emulator package for the list of what the data services do and do not emulate.
//
// Import rule: only emulator/authority emulator/store emulator/tables emulator/wire filter
package dataverse
