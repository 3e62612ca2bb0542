// Package live reads the Live snapshot of one dual-write pair (planner.Live)
// through the provider interfaces: the control plane (link, legal entities,
// integration keys, alerts, maps), the Dataverse data plane (companies, map
// definitions, autonumber columns, row counts) and the F&O data plane
// (number sequences, entity names, row counts).
//
// Reading costs a bounded number of requests whatever the number of maps:
// every listing is one bulk (paged) call, map definitions come from the
// msdyn_dualwriteentitymaps rows in one paged read, and only the few maps
// whose definition is missing there are read one by one. Independent reads
// run in parallel, at most Options.Parallelism at a time. Row counts are
// read only for data operations a plan may need (maps not running that
// start with an initial sync, companies with a bootstrap).
//
// This package must never import a provider implementation
// (providers/dataverse, providers/finops, providers/dualwrite), the
// emulator or cmd/dwctl: it sees the providers through their interfaces.
//
// Import rule: never providers/dataverse providers/finops providers/dualwrite providers/transport
// providers/odata emulator/... applier connection view cmd/...
package live
