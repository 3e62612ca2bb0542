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
	// Link resolves the link of the F&O environment. found is false when
	// the environment is not linked.
	Link(ctx context.Context) (link LinkInfo, found bool, err error)
	// CreateLink links the F&O environment with a Dataverse environment.
	CreateLink(ctx context.Context, req LinkRequest) (LinkInfo, error)
	// ResetLink deletes the link with every map's runtime configuration,
	// the integration keys, the legal entities and the alert settings.
	ResetLink(ctx context.Context, link LinkInfo) error

	// LegalEntities lists the companies chosen for the link.
	LegalEntities(ctx context.Context, link LinkInfo) ([]LegalEntity, error)
	// AddLegalEntities adds companies; skipInitialWrites is the service's
	// "Skip initial writes for newly added legal entities".
	AddLegalEntities(ctx context.Context, link LinkInfo, codes []string, skipInitialWrites bool) error
	// RemoveLegalEntities removes companies from the link.
	RemoveLegalEntities(ctx context.Context, link LinkInfo, codes []string) error

	// IntegrationKeys returns the key columns by Dataverse logical table name.
	IntegrationKeys(ctx context.Context, link LinkInfo) (map[string][]string, error)
	// SetIntegrationKeys sets the keys of the tables given; others are kept.
	SetIntegrationKeys(ctx context.Context, link LinkInfo, keys map[string][]string) error

	// Alerts returns the alert settings of the link.
	Alerts(ctx context.Context, link LinkInfo) ([]AlertSetting, error)
	// SetAlerts replaces the alert settings of the link.
	SetAlerts(ctx context.Context, link LinkInfo, alerts []AlertSetting) error

	// Maps lists every table map of the pair with its active version,
	// available versions, state and last requests, in one call.
	Maps(ctx context.Context, link LinkInfo) ([]Map, error)
	// MapDefinition reads the definition of one map version.
	MapDefinition(ctx context.Context, link LinkInfo, templateID string) (MapDefinition, error)
	// SaveVersion saves a new version of a map under a publisher; the map
	// must not be running. It returns the new version (not yet active).
	SaveVersion(ctx context.Context, link LinkInfo, m Map, def MapDefinition, publisher, version string) (MapTemplate, error)
	// SwitchVersion makes an existing version the active one; the map must
	// not be running.
	SwitchVersion(ctx context.Context, link LinkInfo, m Map, templateID string) error
	// Act starts one request for the maps (one bulk request) and returns
	// its id; Wait polls it.
	Act(ctx context.Context, link LinkInfo, action MapAction, maps []Map, opts ActionOptions) (RequestID, error)
	// Wait polls a request until it completes or fails, or ctx ends. A
	// request that ends in the Error state is returned with a non-nil
	// error naming the maps and the service's message.
	Wait(ctx context.Context, link LinkInfo, id RequestID) (Request, error)
	// InitialSyncResults reads the initial-sync results of a map per company.
	InitialSyncResults(ctx context.Context, link LinkInfo, m Map) ([]SyncResult, error)
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
	// link points at, e.g. https://contoso.crm.dynamics.com.
	DataverseEnvironment string
	// DataverseOrganization is the Dataverse organisation id the link is
	// bound to, when the service tells it.
	DataverseOrganization string
	SolutionAware         bool
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
	// DisplayName is like "Customers V3 (accounts)".
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
