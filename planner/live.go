package planner

import (
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// Live is a snapshot of one environment pair, read through the provider
// interfaces (see package live). The planner never reads an environment
// itself: everything it compares is here.
type Live struct {
	// Endpoints are the URLs the clients talked to. For url =
	// "emulator://NAME" they are the emulator's loopback URLs, which the
	// planner then expects the link to name.
	Endpoints Endpoints
	// Emulator is the NAME of an emulated pair (url = "emulator://NAME"),
	// whose loopback ports change at every start: a link to a loopback
	// host of an emulated pair is that emulator's.
	Emulator string
	// Gateway is what the control plane said of itself: whether it is the
	// emulator, which serves calls nobody has observed on a real gateway.
	Gateway providers.Gateway
	// Teams tells, for every owning team the link's companies declare
	// (by lower-case name), whether Dataverse has a team of that name; nil
	// when not read.
	Teams map[string]bool
	// FinOpsLegalEntities are the legal entities F&O has (LegalEntityId),
	// nil when not read.
	FinOpsLegalEntities []string
	// DataverseOrganization is what the Dataverse URL reaches: its
	// organisation and environment ids.
	DataverseOrganization providers.Organization
	// Warnings are parts of the control plane's answers dwctl could not
	// read and does not need for planning.
	Warnings []string
	// SyncErrors are the rows a service initial sync would fail on, by
	// table map address: rows whose source leaves a mandatory destination
	// field empty.
	SyncErrors map[string]*SyncErrors
	// Link is the dual-write link of the F&O environment; nil when it is
	// not linked.
	Link *providers.LinkInfo
	// Alerts are the link's alert settings.
	Alerts []providers.AlertSetting
	// LegalEntities are the companies chosen for the link.
	LegalEntities []providers.LegalEntity
	// Companies are the Dataverse cdm_company rows.
	Companies []providers.Company
	// OwningTeams are the default owning teams by company code (upper
	// case), for the companies whose team was read; a company without an
	// entry has its owning team left uncompared.
	OwningTeams map[string]string
	// IntegrationKeys are the key columns by Dataverse logical table name.
	IntegrationKeys map[string][]string
	// Maps are every table map of the pair with its active definition.
	Maps []LiveMap
	// FinOpsEntitySets translates F&O entity names (lower case) to public
	// collection names, for maps the service names by entity.
	FinOpsEntitySets map[string]string
	// Sequences are the F&O number sequences dwctl declares, by code.
	Sequences []providers.NumberSequence
	// AutoNumbers are the Dataverse autonumber columns dwctl declares.
	AutoNumbers []providers.AutoNumber
	// ProjectConfigurations are the F&O DualWriteProjectConfigurations rows
	// (runtime configuration of running maps), read to find a link left
	// pointing elsewhere by a database refresh.
	ProjectConfigurations []providers.ProjectConfiguration
	// Prerequisites are, by a map's active template id, the template ids of
	// the maps the service runs before it (for the maps that start with an
	// initial sync).
	Prerequisites map[string][]string
	// SyncRan tells, by a map's active template id, whether the service
	// shows an initial-sync run of it (read for dwctl import only).
	SyncRan map[string]bool
	// RowCounts are row counts by CountKey, for the sizes of data operations.
	RowCounts map[string]int64
	// Transfers are the exact previews of the dwctl-mode initial syncs, by
	// map address.
	Transfers map[string]*Transfer
	// DataverseTables and FinOpsTables are the metadata read for
	// validate -live, by Dataverse logical name and F&O collection name.
	DataverseTables map[string]providers.Table
	FinOpsTables    map[string]providers.Table
	// NameHints map a Dataverse name written in the wrong form to the
	// right one: a logical name where an entity set name belongs
	// ("account" → "accounts") or the reverse ("accounts" → "account").
	NameHints map[string]string
}

// Endpoints are the two environment URLs of a pair.
type Endpoints struct {
	FinOps    string `json:"finops"`
	Dataverse string `json:"dataverse"`
}

// LiveMap is a table map with the definition of its active version (nil
// when it could not be read).
type LiveMap struct {
	providers.Map
	Definition *providers.MapDefinition
}

// CountKey names a row count in Live.RowCounts: the side ("finops",
// "dataverse" or "bootstrap"), the set or table, and the company for
// bootstrap and for the per-company rows of an initial sync, e.g.
// "dataverse:accounts", "finops:CustomersV3:USMF" or
// "bootstrap:USMF:account".
func CountKey(parts ...string) string { return strings.Join(parts, ":") }

// SyncErrors are the rows of one initial sync predicted to fail.
type SyncErrors struct {
	// Companies counts them by company (GlobalCompany for a global map).
	Companies map[string]int64
	// First are the ids of the first few, with the reason:
	// "accounts(7f3c…): CustomerGroupId would be empty".
	First []string
}

// Transfer is the exact preview of a dwctl-mode initial sync: what the
// copy will do, row by row, counted.
type Transfer struct {
	// Companies counts the rows by company (GlobalCompany for a global
	// map) and outcome: dataverse_create, dataverse_update, finops_create,
	// finops_update (the rows written), unchanged, filtered (left out by
	// a side's filter) and errors (rows that would fail).
	Companies map[string]map[string]int64
	// Errors name the first rows that would fail, with the reason.
	Errors []string
	// Rows are the first row differences (plan -show-rows).
	Rows []RowChange
}

// RowChange is one row a data operation writes: a create, or the changed
// columns of an update.
type RowChange struct {
	Company string        `json:"company"`
	Side    string        `json:"side"` // written to: "finops" or "dataverse"
	Kind    string        `json:"kind"` // "create" or "update"
	Key     string        `json:"key"`  // the integration key's values
	Fields  []FieldChange `json:"fields"`
}

// FieldChange is one column of a RowChange; Before is empty for a create.
type FieldChange struct {
	Name   string `json:"name"`
	Before string `json:"before,omitempty"`
	After  string `json:"after"`
}

// GlobalCompany stands for the company in the counts of a global map, which
// the service syncs in one run for all companies.
const GlobalCompany = "(global)"

// finOpsSet returns the public collection name of a live map's F&O side.
func (l *Live) finOpsSet(m LiveMap) string {
	name := m.FinOpsEntity
	if m.Definition != nil && m.Definition.FinOpsEntity != "" {
		name = m.Definition.FinOpsEntity
	}
	if set, ok := l.FinOpsEntitySets[strings.ToLower(name)]; ok {
		return set
	}
	return name
}
