// Package applier executes a plan (package planner) against the environments
// of its links, through the provider interfaces only: it walks the action
// graph with bounded parallelism, runs each action kind as planner's package
// documentation describes, records every finished action in the state
// backend (a journal entry and, for an object whose last action finished,
// its state record from what the plan applied), checkpoints data operations
// after every batch, and reports what ran. The environments are read back a
// constant number of times per apply, not once per object: once at the end
// for the fingerprints of everything recorded (finish, or for an apply that
// did not finish, fingerprintRecorded).
//
// # Walking
//
// An action starts once every action in its DependsOn finished; at most
// Options.Parallelism run at once, started in plan order. When an action
// fails the actions already running finish, nothing that depends on the
// failed one (directly or not) starts, and independent actions go on. A
// dwctl-mode copy that wrote every row but some that would fail
// (transfer.RowErrors) fails without blocking: the map still starts, as
// after a service initial sync with row errors, and the next plan copies
// again. When the drain channel of Apply closes (the first Ctrl-C) nothing
// new starts, data operations stop after their current batch and
// checkpoint; when ctx
// ends (the second Ctrl-C) everything stops at once. Either way the next
// apply plans again from what the environments hold and the checkpoints,
// and converges.
//
// # State
//
// Every change of the state document is a compare-and-swap Put made under
// one mutex, so the serial grows by one per recorded step and two steps
// never race. The apply journal gets one entry per finished action, carrying
// the serial that records it. An object is recorded without a fingerprint
// when its last action finishes; a process that dies before the end leaves
// it so, which only means the next plan does not look for drift on it. A
// successful apply ends by reading every link once more and recording every
// declared object found live with its fingerprint, then forgets Plan.Forget.
//
// # Data operations
//
// Writes go out in $batch requests of up to 1,000, as many at once as a pacer
// allows: one more after every batch the service took without a 429, half
// as many after one (the throttled writes are sent again after its
// Retry-After; they are upserts by key and updates by id, so that is
// harmless).
//
// bootstrap gives the company-less Dataverse rows matching the filter the
// company, a batch at a time; rows that already have one are never selected
// again, so a re-run after a crash only does what is left. initial_sync in
// mode "service" waits for the map's start request and reports the
// per-company results the service keeps; in mode "dwctl" the rows are copied
// by dwctl itself (package transfer), with a checkpoint after every page.
//
// Before walking, Apply waits for the service's initial syncs still in
// progress on the plan's links (started by an apply that was killed before
// it waited for them), so the actions after them find their rows.
//
// Package applier must never import a provider implementation
// (providers/dataverse, providers/finops, providers/dualwrite), connection,
// the emulator, view or cmd/dwctl: commands wire the providers and render
// the events. It imports the providers vocabulary, planner, live (for the
// Pair type and the bootstrap filter), transfer (the copy), config (value
// types only), state, addrs and graph (the walk's schedule).
//
// Import rule: never providers/dataverse providers/finops providers/dualwrite providers/transport
// providers/odata emulator/... connection view cmd/...
package applier
