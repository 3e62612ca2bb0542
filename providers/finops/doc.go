// Package finops is the client of Finance and Operations OData (/data/) for the data plane: rows of
// public data entities (server-driven paging, counts, composite keys with dataAreaId, creates, updates,
// upserts done as a read then a POST or PATCH since F&O has none, $batch with change sets), entity
// metadata from the /Metadata/ service, legal entities, number sequences (SequenceV2Tables) and the
// dual-write runtime rows (DualWriteProjectConfigurations).
//
// Whenever a request names a company — in a key, a query or a body — it carries cross-company=true, as
// reads and writes outside the caller's default company otherwise miss rows [O].
//
// It speaks HTTP only, through providers/transport; it must never import the emulator, the planner,
// the applier or providers/dataverse.
//
// Import rule: only providers providers/odata providers/transport
package finops
