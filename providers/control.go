package providers

import (
	"context"
	"fmt"
	"time"
)

// ControlPlane is the dual-write control plane of one environment pair:
// the link, its legal entities, integration keys, alert settings and table
// maps with their versions and states.
//
// Microsoft documents no API for it. The implementation in
// providers/dualwrite speaks the shape of the management gateway that
// Microsoft's own unsupported automation uses [O]; the emulator serves the
// same shape. Implementations decode strictly and fail closed: an answer
// with an unknown state or a missing field is an error naming the call and
// the field, never a guess.
//
// Every listing is one bulk call (Maps lists all maps of the pair at once).
type ControlPlane interface {
	Environment
	// Probe proves that the token and the gateway work with the cheapest
	// call (GET Version [O]) and tells whether the gateway is dwctl's
	// emulator, which serves every call, also those nobody has observed.
	Probe(ctx context.Context) (Gateway, error)
	// Link resolves the link of the F&O environment. found is false when
	// the environment is not linked.
	Link(ctx context.Context) (link LinkInfo, found bool, err error)
	// LinkWithDetails is Link with the link's Details, from the same read
	// of its connection set (what a snapshot needs, in one read).
	LinkWithDetails(ctx context.Context) (link LinkInfo, details LinkDetails, found bool, err error)
	// CreateLink links the F&O environment with a Dataverse environment.
	// No public call shows it [U]: see Gateway.Unverified.
	CreateLink(ctx context.Context, req LinkRequest) (LinkInfo, error)
	// ResetLink resets the link [O]: every map's runtime configuration,
	// the integration keys, the alert settings and the history are
	// deleted, and the link is made again with the legal entities of opts
	// (nil: the ones it has).
	ResetLink(ctx context.Context, link LinkInfo, opts ResetOptions) error

	// Details reads the link's companies, integration keys and alert
	// settings, from one read of its connection set [O].
	Details(ctx context.Context, link LinkInfo) (LinkDetails, error)
	// AddLegalEntities adds companies; skipInitialWrites is the service's
	// "Skip initial writes for newly added legal entities" [U].
	AddLegalEntities(ctx context.Context, link LinkInfo, codes []string, skipInitialWrites bool) error
	// RemoveLegalEntities removes companies from the link [U].
	RemoveLegalEntities(ctx context.Context, link LinkInfo, codes []string) error

	// SetIntegrationKeys sets the keys of the tables given, one request per
	// table [O]; others are kept. An empty list removes a table's key [I].
	SetIntegrationKeys(ctx context.Context, link LinkInfo, keys map[string][]string) error
	// SetAlerts replaces the alert settings of the link [U].
	SetAlerts(ctx context.Context, link LinkInfo, alerts []AlertSetting) error

	// Maps lists every table map of the pair with its active version,
	// available versions, state and last requests, in one call [O].
	Maps(ctx context.Context, link LinkInfo) ([]Map, error)
	// MapDefinition reads the definition of a map's active version from
	// its project ({pid}/FieldMappings [O]); the map must be initialised.
	MapDefinition(ctx context.Context, link LinkInfo, m Map) (MapDefinition, error)
	// RefreshTables refreshes the cached table metadata of a map's project
	// (the workspace's "Refresh tables" [O]); the map must be initialised.
	RefreshTables(ctx context.Context, link LinkInfo, m Map) error
	// Prerequisites returns the template ids that must run before the
	// template given, in the service's order (it is not among them) [O].
	Prerequisites(ctx context.Context, link LinkInfo, templateID string) ([]string, error)
	// Solutions lists the Dataverse solutions the gateway can apply [O].
	Solutions(ctx context.Context, link LinkInfo) ([]Solution, error)
	// ApplySolution publishes the maps of a Dataverse solution as map
	// versions ("Apply solution" [O]) and waits until it is done.
	ApplySolution(ctx context.Context, link LinkInfo, uniqueName string) error
	// SwitchVersion makes an existing version the active one [O]; the map
	// must be initialised and not running.
	SwitchVersion(ctx context.Context, link LinkInfo, m Map, templateID string) error
	// Act starts one request for the maps (one bulk request) and returns
	// its id; Wait polls it.
	Act(ctx context.Context, link LinkInfo, action MapAction, maps []Map, opts ActionOptions) (RequestID, error)
	// Wait polls a request until it completes or fails, or ctx ends. A
	// request that ends in the Error state is returned with a non-nil
	// error naming the maps and the service's message.
	Wait(ctx context.Context, link LinkInfo, id RequestID) (Request, error)
	// InitialSyncResults reads the newest initial-sync run of a map, per
	// company [O].
	InitialSyncResults(ctx context.Context, link LinkInfo, m Map) ([]SyncResult, error)
}

// Gateway is what a control plane says of itself.
type Gateway struct {
	// Version is the gateway's version answer, as text.
	Version string
	// Emulator is true for dwctl's emulator, which serves every call. A
	// real gateway only serves the calls Microsoft's automation shows;
	// dwctl sends the others (creating a link, adding or removing legal
	// entities, writing alert settings) only when the user opts in.
	Emulator bool
}

// ResetOptions are the options of a reset.
type ResetOptions struct {
	// Force resets even while maps run (the workspace's "Force reset").
	Force bool
	// LegalEntities are the companies the link is made again with; nil
	// keeps the ones it has.
	LegalEntities []string
}

// LinkDetails is what one read of a link's connection set tells.
type LinkDetails struct {
	LegalEntities []LegalEntity
	// IntegrationKeys are the key columns by the gateway's Dataverse
	// table name.
	IntegrationKeys map[string][]string
	Alerts          []AlertSetting
	// Warnings are parts of the answer dwctl could not read and does not
	// need for planning (an alert with an unknown value, say).
	Warnings []string
}

// Solution is a Dataverse solution as the gateway lists it [O].
type Solution struct {
	UniqueName   string
	FriendlyName string
	Version      string
	Managed      bool
}

// LinkInfo identifies a link (the gateway's connection set).
type LinkInfo struct {
	// ConnectionSetID is the gateway's cid.
	ConnectionSetID string
	// ConnectionSetName is the gateway's cname.
	ConnectionSetName string
	// FinOpsEnvironment is the F&O environment's host name.
	FinOpsEnvironment string
	// DataverseEnvironment is the URL of the Dataverse environment the
	// link points at (its directUrl), e.g. https://contoso.crm.dynamics.com.
	DataverseEnvironment string
	// DataverseEnvironmentID is the Power Platform environment id of the
	// Dataverse side (powerAppsEnvironment [O]).
	DataverseEnvironmentID string
	// DataverseDataset is the Dataverse environment's name in the
	// connection set, the dataset of its integration keys [O].
	DataverseDataset string
	SolutionAware    bool
}

// LinkRequest asks for a new link.
type LinkRequest struct {
	DataverseEnvironment string
	LegalEntities        []string
}

// LegalEntity is a company chosen for a link.
type LegalEntity struct {
	Code string
	Name string
}

// AlertSetting is one alert of a link.
type AlertSetting struct {
	Name       string
	Errors     []string // "application", "network"
	Count      int
	Within     time.Duration
	Action     string // "pause" or "stop"
	Recipients []string
}

// MapState is a map's state as the service reports it.
type MapState int

// The map states of the gateway [O].
const (
	StateNone        MapState = 0
	StateStopped     MapState = 1
	StateInitialSync MapState = 2
	StateCatchUp     MapState = 3
	StateRunning     MapState = 4
	StatePaused      MapState = 5
	StateNotRunning  MapState = 6
)

var mapStateNames = map[MapState]string{
	StateNone: "none", StateStopped: "stopped", StateInitialSync: "initializing", StateCatchUp: "resuming",
	StateRunning: "running", StatePaused: "paused", StateNotRunning: "not_running",
}

// String returns the state's snake_case name.
func (s MapState) String() string {
	if n, ok := mapStateNames[s]; ok {
		return n
	}
	return fmt.Sprintf("unknown(%d)", int(s))
}

// Valid reports whether s is one of the known states.
func (s MapState) Valid() bool { _, ok := mapStateNames[s]; return ok }

// MapAction is an action of the gateway's Start call [O].
type MapAction int

// The actions.
const (
	ActionStart      MapAction = 1
	ActionStop       MapAction = 4
	ActionPause      MapAction = 5
	ActionResume     MapAction = 6
	ActionInitialize MapAction = 8
)

// ActionOptions are the parameters of an action.
type ActionOptions struct {
	// SkipInitialSync skips the initial sync of a start.
	SkipInitialSync bool
	// Master is the side whose data wins initial-sync conflicts: "finops"
	// or "dataverse" (the service's default).
	Master string
	// SkipCatchUp resumes without replaying the queue; PreserveQueue keeps
	// the skipped changes for retry instead of discarding them.
	SkipCatchUp   bool
	PreserveQueue bool
}

// Map is a table map of a pair.
type Map struct {
	// TemplateID is the active version's id (the gateway's tid).
	TemplateID string
	// ProjectID is the gateway's pid; empty until the map is initialised.
	ProjectID string
	// DisplayName is the gateway's map name (tName), "<entity set> - <F&O
	// entity label>" as in "accounts - Customers V3" [O].
	DisplayName string
	// FinOpsEntity is the F&O entity name, FinOpsLabel its label.
	FinOpsEntity string
	FinOpsLabel  string
	// DataverseTable is the Dataverse logical name; DataverseEntitySet the
	// entity set name.
	DataverseTable     string
	DataverseEntitySet string
	Active             MapTemplate
	Versions           []MapTemplate
	State              MapState
	LastRequests       []Request
	// Warnings are parts of the map's answer dwctl could not read and does
	// not need for planning (a request with an unknown action, say).
	Warnings []string
}

// MapTemplate is one version of a map.
type MapTemplate struct {
	ID string
	// Author is the publisher ("Microsoft" for Microsoft's versions).
	Author string
	// Version is the 4-part version, e.g. "1.0.0.12".
	Version  string
	ReadOnly bool
	Created  time.Time
}

// MapDefinition is a map version's content.
type MapDefinition struct {
	FinOpsEntity       string
	DataverseEntitySet string
	// FinOpsFilter is the source filter of the F&O → Dataverse leg;
	// DataverseFilter the reversed source filter. "" means none.
	FinOpsFilter    string
	DataverseFilter string
	Fields          []FieldMapping
}

// SyncDirection is a field mapping's direction as the service stores it.
type SyncDirection int

// The directions [O].
const (
	ToDataverse   SyncDirection = 1
	ToFinOps      SyncDirection = 2
	Bidirectional SyncDirection = 3
)

// FieldMapping is one field mapping of a map version.
type FieldMapping struct {
	// FinOps is the F&O field, "" for a constant written into Dataverse.
	FinOps string
	// Dataverse is the column or lookup path, "" for a constant written
	// into F&O.
	Dataverse string
	Direction SyncDirection
	// ValueMap translates F&O values to Dataverse values (ValueMap transform).
	ValueMap map[string]string
	// Default is the Default transform's value, nil when none.
	Default *string
}

// RequestID identifies an asynchronous request of the control plane.
type RequestID string

// RequestState is the state of a request [O].
type RequestState int

// The request states.
const (
	RequestWaiting   RequestState = 1
	RequestCompleted RequestState = 2
	RequestError     RequestState = 3
)

// Request is an asynchronous request on maps.
type Request struct {
	ID       RequestID
	Action   MapAction
	State    RequestState
	Error    string
	Created  time.Time
	Modified time.Time
}

// SyncResult is a map's initial-sync result for one company.
type SyncResult struct {
	Company string
	Status  string
	Upserts int
	Errors  int
	// FirstErrors are the first errors the service kept.
	FirstErrors []SyncError
}

// SyncError is one row's initial-sync error.
type SyncError struct {
	RecordID string
	Field    string
	Message  string
}
