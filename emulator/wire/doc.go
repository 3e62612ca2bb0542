// Package wire is what the emulator's two data services share on the wire: OData error answers in
// each service's shape, resource paths and key predicates, ETags, GUIDs, system query options,
// $filter evaluation through the filter package, listing with keyset paging and indexed key lookups,
// and $batch with atomic change sets.
//
// Import rule: only emulator/store filter
package wire
