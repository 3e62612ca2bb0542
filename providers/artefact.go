package providers

import (
	"context"
	"encoding/json"
)

// Company is a Dataverse cdm_company row or an F&O legal entity.
type Company struct {
	// ID is the cdm_companyid of a Dataverse company; empty for F&O.
	ID GUID
	// Code is the legal-entity id (cdm_companycode, LegalEntityId), as the service spells it.
	Code string
	Name string
	// DefaultOwningTeam is a Dataverse company's cdm_defaultowningteam,
	// empty when it has none.
	DefaultOwningTeam GUID
}

// NumberSequence is an F&O number sequence (SequenceV2Tables).
type NumberSequence struct {
	Code string
	// ScopeType is the NumberSequenceType member name (DataArea, LegalEntity, OperatingUnit, ...).
	ScopeType string
	// ScopeValue is the scope's value, e.g. the company for DataArea.
	ScopeValue string
	Name       string
	Format     string
	Smallest   int64
	Largest    int64
	Next       int64
	Manual     bool
	Continuous bool
	Stopped    bool
	// InUse is computed by F&O; it is never written.
	InUse bool
	// ETag is the row's version as read.
	ETag string
}

// EntityMap is one saved version of a dual-write table map (Dataverse msdyn_dualwriteentitymap).
type EntityMap struct {
	ID          GUID
	Name        string
	DisplayName string
	Version     string
	SolutionID  GUID
	StateCode   int
	// Mapping is the msdyn_mapping JSON document, decoded once when the service stored it double-encoded.
	Mapping json.RawMessage
}

// MapVersion is a four-part map version as the runtime records it.
type MapVersion struct {
	Major, Minor, Build, Revision int
}

// Organization is what Dataverse says of itself: the organisation id and
// the id of the Power Platform environment that holds it.
type Organization struct {
	ID            GUID
	EnvironmentID string
	UniqueName    string
}

// RuntimeConfig is a Dataverse msdyn_dualwriteruntimeconfig row.
type RuntimeConfig struct {
	ID     GUID
	Name   string
	Status string
	// Source, Destination and Version come from the msdyn_unsecure JSON when it parses.
	Source      string
	Destination string
	Version     MapVersion
}

// ProjectConfiguration is an F&O DualWriteProjectConfigurations row (two per running map).
type ProjectConfiguration struct {
	ProjectName               string
	InternalEntityName        string
	ExternalEntityName        string
	ExternalLogicalEntityName string
	ExternalEnvironmentURL    string
	Status                    string
	IntegrationKey            string
	QueryFilterExpression     string
	ETag                      string
}

// Environment names the environment a client talks to, for messages.
type Environment interface {
	// Environment returns the display name given to the client (or its host).
	Environment() string
}

// Dataverse is what the planner and applier need from a Dataverse environment's data plane.
type Dataverse interface {
	Environment
	RowStore
	SchemaReader
	SchemaWriter
	// Companies lists every cdm_companies row.
	Companies(ctx context.Context) ([]Company, error)
	// CurrentOrganization reads the organisation and its Power Platform
	// environment (RetrieveCurrentOrganization [D]).
	CurrentOrganization(ctx context.Context) (Organization, error)
	// EntityMaps lists every msdyn_dualwriteentitymaps row (one per saved map version).
	EntityMaps(ctx context.Context) ([]EntityMap, error)
	// RuntimeConfigs lists every msdyn_dualwriteruntimeconfigs row.
	RuntimeConfigs(ctx context.Context) ([]RuntimeConfig, error)
	// SaveEntityMap stores a map version as a msdyn_dualwriteentitymap row
	// that is a component of the unmanaged solution sol, creating its
	// publisher and the solution when missing: the documented ALM route for
	// map versions, which the gateway's Apply solution then publishes. A row
	// with the same name and version is reused, so a retry never adds one.
	SaveEntityMap(ctx context.Context, sol SolutionSpec, em EntityMap) (GUID, error)
}

// SolutionSpec names an unmanaged Dataverse solution and its publisher.
type SolutionSpec struct {
	// UniqueName and FriendlyName are the solution's.
	UniqueName, FriendlyName string
	// Publisher is the publisher's unique name, PublisherName its friendly
	// name (the author the gateway shows on the versions), Prefix its
	// customisation prefix (2–8 letters and digits) and OptionValuePrefix
	// its option-value prefix (10000–99999).
	Publisher, PublisherName, Prefix string
	OptionValuePrefix                int
}

// FinOps is what the planner and applier need from an F&O environment's data plane.
type FinOps interface {
	Environment
	RowStore
	SchemaReader
	// LegalEntities lists every LegalEntities row.
	LegalEntities(ctx context.Context) ([]Company, error)
	// NumberSequences lists the SequenceV2Tables rows matching filter ("" for all), across companies.
	NumberSequences(ctx context.Context, filter string) ([]NumberSequence, error)
	// PutNumberSequence creates the sequence or updates the one with the same code and scope.
	// It reports whether the sequence was created.
	PutNumberSequence(ctx context.Context, seq NumberSequence) (bool, error)
	// ProjectConfigurations lists every DualWriteProjectConfigurations row.
	ProjectConfigurations(ctx context.Context) ([]ProjectConfiguration, error)
}
