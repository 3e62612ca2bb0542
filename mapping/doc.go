// Package mapping transforms rows through a dual-write table map: the field mappings with their
// directions, ValueMap and Default transforms, company striping (F&O dataAreaId ↔ the Dataverse
// company lookup) and the two source filters. It is the engine shared by the emulator's initial sync
// and runtime and by dwctl's own initial sync.
//
// Rules (dual-write.md §4.4, §2.1) with their confidence:
//
//   - Direction 1 writes F&O → Dataverse, 2 Dataverse → F&O, 3 both [O].
//   - A ValueMap translates F&O values to Dataverse values and is read backwards for Dataverse → F&O;
//     keys compare case-insensitively as text [D for the transform, I for the matching].
//   - A Default is written when the source has no field ("none >> customertypecode") or its value is
//     empty [D].
//   - A company-specific map carries the company implicitly: the F&O dataAreaId goes to the Dataverse
//     company column path (upper case) and back (lower case, as F&O stores it) [D/I].
//   - The F&O filter (an X++ query range) chooses the F&O rows that flow to Dataverse; the Dataverse
//     filter (OData) the rows that flow to F&O [D].
//   - Rows of the two sides are the same row when their integration-key values are equal (KeyOf);
//     in an initial sync the master's values win for the fields mapped both ways (ForUpdate) [D].
//
// Dataverse lookups stay paths ("msdyn_customergroupid.msdyn_groupid"): the caller resolves them
// (reads them through its Row, binds them on write). Values are not converted to column types; the
// caller does that with the metadata it has.
//
// This package is pure: it must never import anything that performs I/O, a provider implementation,
// the emulator, config, the planner or the applier. It may import filter.
//
// Import rule: only filter
package mapping
