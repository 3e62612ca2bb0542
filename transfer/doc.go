// Package transfer is the initial sync dwctl runs itself (mode "dwctl",
// DESIGN §5.3), and its exact preview: the rows of one table map are
// matched on both sides by the integration key; phase A walks the master
// side page by page and creates its rows on the other side or updates the
// columns that differ there (the master wins); phase B walks the other side
// and creates on the master the rows it lacks.
//
// One engine serves apply and plan. Apply gives Options.Write, which sends
// each page's writes; plan leaves it nil and gets the same Tally without
// writing: per company, rows to create and to update on each side,
// unchanged rows, rows the side's filter leaves out, and rows that would
// fail (a lookup whose target row does not exist, a value the value map
// lacks, a mandatory F&O field left empty) with their reason. A row that
// would fail is never sent: the others are written and the run reports the
// failures at its end, so the rows a plan counts are the rows apply writes.
//
// Rows are scoped as the service scopes its initial sync [D]: a map that is
// company-specific on both sides copies the rows of the link's companies
// only, each under its company; a global map copies every row under
// Global.
//
// The package reads and writes through the providers interfaces only; it
// must never import a provider implementation, the emulator, the planner,
// the applier or cmd/dwctl.
//
// Import rule: only filter mapping providers
package transfer
