// Package planner computes what dwctl would do: from the Desired model
// (config), a Live snapshot of every pair (Live, read by package live) and
// the state (package state) it builds a Plan — actions with dependencies,
// each with the before and after values and the reason it came from — and
// the diff tree of each object's attributes (Attributes.Tree) the views
// render. It is pure: no I/O, no clock, no randomness.
//
// # Objects and identity
//
// Every declared object (link, company, integration_key, table_map,
// number_sequence) is an Object with a natural identity (DESIGN §4): the
// link's F&O host; the company id (upper case); the Dataverse table; for a
// map the F&O collection, the Dataverse entity set and both filters; for a
// number sequence the code, scope and company and the Dataverse table and
// column. Live objects are matched by identity, first exactly, then (for
// maps whose filters were edited) by the pair of tables. Attributes of both
// sides are normalised (normalise.go) and compared with go-cmp; what the
// configuration leaves to the service (owning team, alerts, an unpinned
// version) is masked out of the live side, and server-managed values (ids,
// timestamps, next numbers) are never attributes.
//
// # Walking a plan
//
// Plan.Actions are ordered so that every action comes after the actions
// named in its DependsOn (IDs of the form "ADDRESS:KIND"). An applier walks
// them as a graph: an action may start once all of DependsOn finished; on
// a failure it starts nothing that depends, directly or not, on the failed
// action. Before running it checks the saved plan with Stale. After an
// object's last action it reads the object back, and records
// StateObject(plan.Objects[addr], fingerprint) with the fingerprint from
// Fingerprints; it removes Plan.Forget addresses and deleted objects from
// state. Destructive actions (Action.Destructive) run only when
// Plan.Options.AllowDestroy is set.
//
// # What each kind needs (providers.ControlPlane unless said otherwise)
//
//   - link + (create): CreateLink with the URL of the pair's Dataverse
//     environment (Live.Endpoints.Dataverse: After.Link.Dataverse is a host,
//     or "emulator:NAME" for an emulated pair); then SetAlerts.
//   - link ~ (update): SetAlerts with After.Link.Alerts.
//   - link -/+ (replace) and reset: ResetLink; for replace then CreateLink.
//     Every other object of the link is planned again as created after it.
//   - company +: AddLegalEntities([After.Company.ID], Params.SkipInitialWrites),
//     then the cdm_company row's name (Dataverse data plane, cdm_companies).
//   - company ~: the cdm_company row's cdm_name (and owning team).
//   - company -: RemoveLegalEntities.
//   - integration_key + / ~: SetIntegrationKeys({table: columns});
//     integration_key -: SetIntegrationKeys({table: []}) [I].
//   - saving a version (table_map + and save_version): the definition as a
//     msdyn_dualwriteentitymap row of the unmanaged solution of
//     Params.Publisher (Dataverse.SaveEntityMap), then ApplySolution; the
//     map is initialised (action 8) when it has no project, then
//     SwitchVersion makes the new version active.
//   - table_map +: saves After.Map as Params.Version on a map of its own
//     name ("<entity set> - <F&O entity>"). Linking publishes the solutions'
//     maps, so a plan made before the link existed may plan + for a map
//     that exists once the link is made: the applier adopts a live map with
//     the same F&O entity and Dataverse entity set (the version is saved
//     on it) instead of adding a second one.
//   - Params.TemplateID names a map by one of its versions: after a
//     save_version the map's active template changes, so the actions that
//     follow find the map whose Versions include it.
//   - table_map save_version: MapDefinition of the map's project, replaced
//     by After.Map's filters and fields, saved as Params.Version.
//   - table_map switch_version: SwitchVersion to Params.TargetTemplateID
//     (the live version Params.Version).
//   - Action.Manual: the applier fails the action without a call (the
//     gateway call it needs is not observed); see markManual.
//   - table_map start / stop / pause / resume: Act with the action;
//     start passes Params.SkipInitialSync and Params.Master. A map created
//     in the same plan has no Params.TemplateID: find it by After's F&O
//     entity and Dataverse entity set.
//   - table_map -: the map must be stopped (a stop action precedes it).
//   - number_sequence + / ~: FinOps.PutNumberSequence for After.Sequence.FinOps
//     (ScopeType gives the NumberSequenceType member); Dataverse
//     SetAutoNumberFormat, and SetAutoNumberSeed when After carries a seed
//     that differs from the live next value.
//   - bootstrap: for each of Params.Tables, the rows matching Params.Where
//     without a company get the company (msdyn_company@odata.bind).
//   - initial_sync: Params.Mode "service": wait for the start's request and
//     report InitialSyncResults; "dwctl": copy the rows (master
//     Params.Master wins) before the start, which then skips the service's.
//     A failed initial sync leaves its map recorded (it runs) and its
//     checkpoint with the error; while the configuration still asks for
//     the sync, every plan runs it again (ReasonInitialSyncFailed): "dwctl"
//     copies again from the checkpoint, "service" stops the map and starts
//     it with its initial sync, the only way the service runs one.
//
// Counts and Rows of data operations come from the snapshot. For a
// service initial sync they are what the service exports (Live.RowCounts:
// live reads them row by row, per linked company, the rows passing each
// side's filter) and Action.Companies breaks them down by company. For a
// dwctl-mode sync they are its exact preview (Live.Transfers: package
// transfer runs the copy without writing): rows to create and to update on
// each side, unchanged, filtered out and failing, per company; Rows are
// the rows the copy writes, RowChanges the first of them (plan
// -show-rows).
//
// A plan made with Options.RefreshOnly has no actions: applying it records
// the current fingerprint (Fingerprints) of every managed object, which
// accepts the drift the plan showed. Number sequences removed from the
// configuration are forgotten (Plan.Forget), never deleted: F&O keeps
// sequences that documents refer to.
//
// # Saved plans and staleness
//
// NewSaved and Saved.Write make the file of plan -out (format
// SavedFormatVersion, never a secret); ReadSaved reads it back and checks
// its dependencies. Before applying, the applier reads the pairs again
// (package live) and calls Stale(saved, currentState, lives): it refuses a
// plan whose state lineage or serial moved, or whose touched objects
// (every object with an action) changed since the plan read them;
// changes to other objects are accepted.
//
// # Other jobs
//
// Package view renders plans (text, Markdown, JSON, DOT); the planner has no
// renderer. Generate writes configuration for the objects a plan lists as not
// managed (dwctl import). ValidateLive runs the metadata checks of validate
// -live.
//
// This package must never import a provider implementation
// (providers/dataverse, providers/finops, providers/dualwrite), the
// emulator, the applier or cmd/dwctl; it imports config, filter, mapping,
// numbering, state, addrs, graph, mapversion and the providers vocabulary
// only.
//
// Import rule: never providers/dataverse providers/finops providers/dualwrite providers/transport
// providers/odata emulator/... applier live transfer connection view cmd/...
package planner
