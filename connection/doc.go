// Package connection opens the providers of every link of a configuration:
// for https environments the Dataverse, F&O and dual-write control-plane
// clients with credentials from the environment's auth block or
// azidentity's default chain; for url = "emulator://NAME" an in-process
// emulator (package emulator) with its data under .dwctl/emulator/NAME,
// whose own authority, credentials and CA the clients use.
//
// It is the one place outside cmd/dwctl that knows the provider
// implementations. It must never import the planner's callers (the applier,
// cmd/dwctl); the planner and the live reader see only what it returns,
// through the provider interfaces.
//
// Import rule: never applier view maptest cmd/...
package connection
