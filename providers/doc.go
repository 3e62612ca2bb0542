// Package providers is the vocabulary shared by the planner, the applier and the data-plane clients: the
// interfaces through which a Live snapshot of a dual-write pair is read and changed, and the plain value
// types that cross them (rows, keys, table metadata, companies, number sequences and the dual-write
// artefacts that are readable as data).
//
// Every listing is bulk by design: reading all objects of a kind costs a few paged requests, never one
// request per object.
//
// The control plane (link, maps, start/stop) is not part of this vocabulary; it lives beside it.
//
// This package must never import a provider implementation (providers/dataverse, providers/finops, ...),
// the emulator, the planner, the applier or anything that performs I/O.
//
// Import rule: only none
package providers
