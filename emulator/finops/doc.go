// Package finops is the emulated F&O OData service (/data/ and /Metadata/) of one environment over
// the pair's store: public data entities with composite keys and dataAreaId, cross-company queries,
// server-driven paging (continued from a cursor while the table is unchanged), AxODataWriteException
// failures, number-sequence references, /Metadata/PublicEntities and PublicEnumerations. Live sync
// takes part in its writes through Hooks.
//
// Import rule: only emulator/store emulator/wire filter
package finops
