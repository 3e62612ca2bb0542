// Package control is the emulated dual-write control plane of one pair. Plane serves the
// management gateway's calls; catalog reads what they show from the metadata and the state; artefacts
// writes what dual-write keeps in the two environments (runtime and project configurations,
// partitions, entity maps, companies, solution components).
//
// The dual-write control plane is served on the authority listener (Info.ControlURL)
// in the shape of the management gateway (protocols.md §4.5): Environments, Entities, Start,
// Status, SwitchActive, ConnectionSet, IntegrationKeys, ProjectExecutionWithCompanies, plus dwctl's
// own calls for linking, legal entities, alerts and saving versions. Its state is kept in the store's
// settings, one entry per object, with the last committed state in memory (package pairstate).
// Requests progress when polled (Plane.SetPolls); initial syncs copy rows between the two services
// through package copier; CopyDataTo (and POST RefreshPath) simulates a database refresh.
// docs/control-plane.md describes the behaviour.
//
// The plane registers the maps whose runtime runs with the live-sync runtime (package livesync) and
// takes its hooks: alerts counted from live-sync failures, company names.
//
// Import rule: only emulator/authority emulator/copier emulator/dataverse emulator/finops
// emulator/livesync emulator/pairstate emulator/store emulator/tables emulator/wire mapping
// mapversion
package control
