package planner

// Kind is what an action does. The values are the symbols the renderers
// print (Terraform's for the four object changes, a snake_case name for the
// dual-write transitions and data operations), so a rendering cannot
// disagree with the logic.
type Kind string

// The action kinds (DESIGN §5.1).
const (
	Create      Kind = "+"
	Update      Kind = "~"
	Delete      Kind = "-"
	Replace     Kind = "-/+"
	Start       Kind = "start"
	Stop        Kind = "stop"
	Pause       Kind = "pause"
	Resume      Kind = "resume"
	SaveVersion Kind = "save_version"
	// SwitchVersion makes a pinned, existing version the active one.
	SwitchVersion Kind = "switch_version"
	Reset         Kind = "reset"
	Bootstrap     Kind = "bootstrap"
	InitialSync   Kind = "initial_sync"
)

// Name returns the kind's snake_case name, as JSON consumers read it.
func (k Kind) Name() string {
	switch k {
	case Create:
		return "create"
	case Update:
		return "update"
	case Delete:
		return "delete"
	case Replace:
		return "replace"
	}
	return string(k)
}

// IsData reports whether the kind moves rows (a data operation).
func (k Kind) IsData() bool { return k == Bootstrap || k == InitialSync }

// Reason says why an action was planned, as a stable snake_case string.
type Reason string

// The reasons.
const (
	ReasonNotInLive          Reason = "not_in_live"         // declared, missing from the environments
	ReasonAttributesChanged  Reason = "attributes_changed"  // declared and live values differ
	ReasonRemovedFromConfig  Reason = "removed_from_config" // managed, no longer declared
	ReasonDestroyRequested   Reason = "destroy_requested"   // plan -destroy
	ReasonLinkedElsewhere    Reason = "linked_to_other_dataverse"
	ReasonStaleRuntime       Reason = "stale_runtime_configuration" // a refreshed database names another pair
	ReasonEnvironmentCopied  Reason = "environment_copied"          // the link belongs to the environment a database was copied from
	ReasonDefinitionChanged  Reason = "definition_changed"          // fields or filters of a map
	ReasonVersionPinned      Reason = "version_pinned"              // version differs from the pinned one
	ReasonStateChanged       Reason = "state_changed"               // running/paused/stopped differs
	ReasonEditRequiresStop   Reason = "edit_requires_stop"          // the service edits only stopped maps
	ReasonRestartAfterEdit   Reason = "restart_after_edit"          // back to the desired state after an edit
	ReasonInitialSyncEnabled Reason = "initial_sync_enabled"        // the map starts with an initial sync
	ReasonInitialSyncFailed  Reason = "initial_sync_failed"         // the map's last initial sync failed: again
	ReasonCompanyRowsMissing Reason = "company_rows_unassigned"     // bootstrap: rows without a company
	ReasonDeleteRequiresStop Reason = "delete_requires_stop"
	ReasonRecreatedByReset   Reason = "recreated_after_reset"  // the link is reset, everything is rebuilt
	ReasonLegalEntitiesReset Reason = "legal_entities_changed" // the link is reset with its new legal entities
)

// Action is one step of a plan.
type Action struct {
	// ID is unique in the plan: the address, a colon and the kind's name,
	// e.g. "table_map.customers:stop".
	ID string `json:"id"`
	// Address is the object the action changes ("table_map.customers"),
	// or the data operation's address ("initial_sync.table_map.customers").
	Address string `json:"address"`
	// Object is the kind of object: link, company, integration_key,
	// table_map, number_sequence.
	Object string `json:"object"`
	Kind   Kind   `json:"kind"`
	Reason Reason `json:"reason"`
	// Before and After are the object's attributes (nil when absent).
	Before *Attributes `json:"before"`
	After  *Attributes `json:"after"`
	// Changes lists the attribute differences, for updates and replaces.
	Changes []Change `json:"changes,omitempty"`
	// Rows is the number of rows a data operation writes.
	Rows int64 `json:"rows,omitempty"`
	// Counts break Rows down: by side for a service initial sync
	// ({"finops": 1200, "dataverse": 7}, the rows each side exports), by
	// table for a bootstrap, by outcome for a dwctl-mode initial sync
	// ({"dataverse_create": 3, "unchanged": 12, "errors": 1, ...}, of
	// which the creates and updates are Rows).
	Counts map[string]int64 `json:"counts,omitempty"`
	// Companies break an initial sync's counts down by company
	// ("(global)" for a global map): {"USMF": {"finops": 15, "dataverse": 0}}.
	Companies map[string]map[string]int64 `json:"companies,omitempty"`
	// RowChanges are the first row differences of a dwctl-mode initial
	// sync (plan -show-rows).
	RowChanges []RowChange `json:"row_changes,omitempty"`
	// DependsOn lists the IDs of the actions that must finish first.
	DependsOn []string `json:"depends_on"`
	// Destructive marks actions that delete configuration or history.
	Destructive bool `json:"destructive"`
	// Params carries what the action needs to run beyond After.
	Params Params `json:"params"`
	// Notes are sentences a reviewer should read ("live sync of this map
	// pauses until start").
	Notes []string `json:"notes,omitempty"`
	// Manual is set when the action is a step to take by hand: apply
	// stops before it (see Manual).
	Manual *Manual `json:"manual,omitempty"`
	// SensitiveParams names the parameters that came from sensitive values
	// ("where"); renderers print SensitiveText for them.
	SensitiveParams []string `json:"-"`
}

// Params are the execution parameters of an action.
type Params struct {
	// Version is the version save_version saves or switch_version activates.
	Version string `json:"version,omitempty"`
	// Publisher is the publisher save_version saves under (dwctl.publisher).
	Publisher string `json:"publisher,omitempty"`
	// TemplateID is the live template the action works on, when known.
	TemplateID string `json:"template_id,omitempty"`
	// TargetTemplateID is the version switch_version makes active.
	TargetTemplateID string `json:"target_template_id,omitempty"`
	// SkipInitialSync and Master are the options of start.
	SkipInitialSync bool   `json:"skip_initial_sync,omitempty"`
	Master          string `json:"master,omitempty"`
	// Mode is "service" or "dwctl" for initial_sync.
	Mode string `json:"mode,omitempty"`
	// SkipInitialWrites is the option of adding a company to a link.
	SkipInitialWrites bool `json:"skip_initial_writes,omitempty"`
	// CreateLegalEntity is set on a company's create when F&O has no
	// legal entity with its id and the configuration asks dwctl to make it.
	CreateLegalEntity bool `json:"create_legal_entity,omitempty"`
	// LegalEntities, on a link's replace, make it a reset of the link with
	// these legal entities and nothing else (control.legal_entities_by_reset).
	LegalEntities []string `json:"legal_entities,omitempty"`
	// AddedByReset marks a company the link's reset adds: only its
	// cdm_company row is set.
	AddedByReset bool `json:"added_by_reset,omitempty"`
	// Tables and Where are bootstrap's Dataverse tables and filter.
	Tables []string `json:"tables,omitempty"`
	Where  string   `json:"where,omitempty"`
	// Wheres are bootstrap's filters by table, when its blocks differ.
	Wheres map[string]string `json:"wheres,omitempty"`
}

// Change is one attribute difference, nested for blocks.
type Change struct {
	// Path names the attribute: "state", "filter.finops", `field "NAME" "name"`.
	Name string `json:"name"`
	// Kind is Create (added), Delete (removed) or Update.
	Kind   Kind     `json:"kind"`
	Before *string  `json:"before,omitempty"`
	After  *string  `json:"after,omitempty"`
	Nested []Change `json:"nested,omitempty"`
	// Unchanged counts the nested attributes that did not change.
	Unchanged int `json:"unchanged,omitempty"`
}
