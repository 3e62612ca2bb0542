// Package dataverse is the client of the Dataverse Web API (/api/data/v9.2/) for the data plane: rows
// (paged queries, counts, creates, updates, upserts by alternate key, conditional writes, $batch with
// change sets), table metadata, alternate keys, autonumber columns, and the dual-write artefacts that
// are stored as Dataverse rows (cdm_companies, msdyn_dualwriteentitymaps, msdyn_dualwriteruntimeconfigs).
//
// It speaks HTTP only, through providers/transport; it must never import the emulator, the planner,
// the applier or providers/finops.
//
// Import rule: only providers providers/odata providers/transport
package dataverse
