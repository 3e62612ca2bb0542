package config

import (
	"strings"
	"time"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/graph"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Config is the Desired model: everything a directory of *.dw.hcl files
// declares, with references resolved.
type Config struct {
	// Dir is the directory the configuration was loaded from.
	Dir string
	// Sources holds the bytes of every file read (configuration and variable
	// files), by the file name used in diagnostic ranges, so views can show
	// source snippets.
	Sources map[string][]byte

	Settings        *Settings
	Variables       map[string]*Variable
	Locals          map[string]cty.Value
	Environments    map[string]*Environment
	Links           map[string]*Link
	Companies       map[string]*Company        // by address, e.g. "company.USMF"
	IntegrationKeys map[string]*IntegrationKey // by address, e.g. "integration_key.account"
	TableMaps       map[string]*TableMap       // by address, e.g. "table_map.customers"
	NumberSequences map[string]*NumberSequence // by address

	// Graph holds the dependencies between the objects above.
	Graph *graph.Graph

	secrets []string
}

// Settings is the dwctl block.
type Settings struct {
	RequiredVersion string
	Publisher       string
	State           *StateBackend
	DeclRange       hcl.Range
}

// StateBackend is the dwctl.state block: where state and its lock live.
type StateBackend struct {
	Type string // "local" or "pg"
	// Settings are the block's attributes as strings (path, conn, ...).
	// Values of sensitive attributes (conn) are held as Secret in Secrets.
	Settings  map[string]string
	Secrets   map[string]Secret
	DeclRange hcl.Range
}

// Secret is a sensitive string. Its formatting and JSON forms are redacted;
// Reveal gives the value to the code that must send it somewhere.
type Secret struct{ value string }

// NewSecret wraps a sensitive value.
func NewSecret(v string) Secret { return Secret{value: v} }

// Reveal returns the secret value.
func (s Secret) Reveal() string { return s.value }

// IsSet reports whether the secret holds a non-empty value.
func (s Secret) IsSet() bool { return s.value != "" }

// String redacts the value.
func (s Secret) String() string { return "(sensitive)" }

// GoString redacts the value.
func (s Secret) GoString() string { return "(sensitive)" }

// MarshalJSON redacts the value.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"(sensitive)"`), nil }

// Variable is a declared input variable and the value it resolved to.
type Variable struct {
	Name        string
	Description string
	Type        cty.Type
	Default     cty.Value // cty.NilVal when none
	Sensitive   bool
	Value       cty.Value
	DeclRange   hcl.Range
}

// EnvironmentKind says which service an environment is.
type EnvironmentKind string

// The environment kinds.
const (
	FinOps    EnvironmentKind = "finops"
	Dataverse EnvironmentKind = "dataverse"
)

// Environment is one F&O or Dataverse environment.
type Environment struct {
	Kind EnvironmentKind
	Name string
	URL  string
	// Emulator is the NAME of url = "emulator://NAME", or "".
	Emulator string
	// EmulatorSeed and EmulatorRows are the seed data of this side of an
	// emulated pair (emulator://NAME?seed=existing&rows=50): used when the
	// pair starts for the first time; "" and 0 leave the defaults.
	EmulatorSeed string
	EmulatorRows int
	Auth         *Auth
	DeclRange    hcl.Range
	URLRange     hcl.Range
}

// Addr returns the environment's address, e.g. "environment.fo".
func (e *Environment) Addr() string { return addrs.NewObject(addrs.Environment, e.Name).String() }

// Auth is an environment's auth block. Every value in it is sensitive.
type Auth struct {
	// Method is "" or one of AuthMethods.
	Method             string
	TenantID           Secret
	ClientID           Secret
	ClientSecret       Secret
	CertificatePath    Secret
	CertificatePass    Secret
	FederatedTokenFile Secret
	AuthorityHost      Secret
	// ServiceConnectionID and SystemAccessToken are azure_pipelines'.
	ServiceConnectionID Secret
	SystemAccessToken   Secret
	DeclRange           hcl.Range
}

// Link pairs one F&O environment with one Dataverse environment.
type Link struct {
	Name      string
	FinOps    *Environment
	Dataverse *Environment
	Gateway   string // control.gateway
	// UnverifiedCalls lets dwctl send the gateway calls nobody has
	// observed (control.unverified_calls).
	UnverifiedCalls bool
	// LegalEntitiesByReset changes the link's legal entities on a real
	// gateway with the observed Reset and the new list, which stops every
	// map (control.legal_entities_by_reset).
	LegalEntitiesByReset bool
	Alerts               []*Alert
	// Sensitive lists the attribute paths whose values came from sensitive
	// values ("name", "filter/finops", "field[2]/default"): renderers show
	// "(sensitive value)" there.
	Sensitive      []string
	PreventDestroy bool
	DeclRange      hcl.Range
}

// Addr returns the link's address, e.g. "link.main".
func (l *Link) Addr() string { return addrs.NewObject(addrs.Link, l.Name).String() }

// Alert is one alert setting of a link.
type Alert struct {
	Name       string
	Errors     []string
	Count      int
	Within     time.Duration
	Action     string // "pause" or "stop"
	Recipients []string
	DeclRange  hcl.Range
}

// Company is a legal entity chosen for a link.
type Company struct {
	Address       string // "company.USMF" or "company.eu[\"DEMF\"]"
	ID            string // upper case, as F&O shows it
	Link          *Link
	Name          string
	OwningTeam    string
	InitialWrites bool
	// CreateLegalEntity asks dwctl to create the legal entity in F&O when
	// F&O has none with the id (create_legal_entity).
	CreateLegalEntity bool
	Bootstrap         *Bootstrap
	DeclRange         hcl.Range
	IDRange           hcl.Range
	// Sensitive lists the attribute paths whose values came from sensitive
	// values ("name", "filter/finops", "field[2]/default"): renderers show
	// "(sensitive value)" there.
	Sensitive []string
	NameRange hcl.Range
}

// Bootstrap says which existing Dataverse rows get a company: the tables of
// every bootstrap block of the company, each with its block's where.
type Bootstrap struct {
	Tables []string
	// Where is the first block's filter; TableWhere the filter of each
	// table (lower case), "" for every company-less row.
	Where      string
	TableWhere map[string]string
	// WhereExpr locates the first block's filter in the source, WhereExprs
	// every block's, for diagnostics.
	WhereExpr  *Text
	WhereExprs []*Text
	DeclRange  hcl.Range
}

// WhereOf returns the filter of a bootstrapped table.
func (b *Bootstrap) WhereOf(table string) string {
	if w, ok := b.TableWhere[strings.ToLower(table)]; ok {
		return w
	}
	return b.Where
}

// IntegrationKey is the key of one Dataverse table, shared by its maps.
type IntegrationKey struct {
	Address   string
	Table     string // Dataverse logical name
	Link      *Link
	Columns   []string
	DeclRange hcl.Range
	// Sensitive lists the attribute paths whose values came from sensitive
	// values ("name", "filter/finops", "field[2]/default"): renderers show
	// "(sensitive value)" there.
	Sensitive    []string
	ColumnsRange hcl.Range
}

// MapState is the desired state of a table map.
type MapState string

// The desired map states.
const (
	Running MapState = "running"
	Paused  MapState = "paused"
	Stopped MapState = "stopped"
)

// TableMap pairs an F&O entity with a Dataverse table.
type TableMap struct {
	Address     string
	Name        string
	Link        *Link
	FinOps      string // F&O public collection name
	Dataverse   string // Dataverse entity set name
	Version     string // pinned version, or ""
	State       MapState
	DependsOn   []string // addresses of table maps
	InitialSync *InitialSync
	Filter      *Filter
	Fields      []*Field
	DeclRange   hcl.Range
	// Sensitive lists the attribute paths whose values came from sensitive
	// values ("name", "filter/finops", "field[2]/default"): renderers show
	// "(sensitive value)" there.
	Sensitive []string
}

// InitialSync says how a map's existing rows are copied when it starts.
type InitialSync struct {
	Enabled   bool
	Master    string // "finops" or "dataverse"
	Mode      string // "service" or "dwctl"
	DeclRange hcl.Range
}

// Filter holds a map's two source filters.
type Filter struct {
	FinOps    *Text // nil when the block leaves the side out
	Dataverse *Text
	DeclRange hcl.Range
}

// Direction is the sync direction of a field mapping.
type Direction string

// The directions.
const (
	Both        Direction = "both"
	ToDataverse Direction = "to_dataverse"
	ToFinOps    Direction = "to_finops"
)

// Field is one field mapping of a table map.
type Field struct {
	FinOps    string // "" for a constant written into Dataverse
	Dataverse string // "" for a constant written into F&O; may be a lookup path
	Direction Direction
	ValueMap  []ValuePair
	Default   cty.Value // cty.NilVal when none
	DeclRange hcl.Range
}

// ValuePair is one entry of a field's value_map: source (F&O) value to
// destination (Dataverse) value.
type ValuePair struct {
	FinOps    string
	Dataverse cty.Value
}

// NumberSequence pairs an F&O number sequence with a Dataverse autonumber.
type NumberSequence struct {
	Address   string
	Name      string
	Link      *Link
	FinOps    *FinOpsSequence
	Dataverse *AutoNumber
	DeclRange hcl.Range
	// Sensitive lists the attribute paths whose values came from sensitive
	// values ("name", "filter/finops", "field[2]/default"): renderers show
	// "(sensitive value)" there.
	Sensitive []string
}

// FinOpsSequence is the F&O side of a number_sequence block.
type FinOpsSequence struct {
	Code        string
	Scope       string
	Company     string
	Format      string
	Smallest    int64
	Largest     int64
	FormatRange hcl.Range
	FormatText  *Text // locates characters of Format in the source
	DeclRange   hcl.Range
}

// AutoNumber is the Dataverse side of a number_sequence block.
type AutoNumber struct {
	Table       string
	Column      string
	Format      string
	Seed        int64 // 0 when not set
	HasSeed     bool
	FormatRange hcl.Range
	FormatText  *Text // locates characters of Format in the source
	DeclRange   hcl.Range
}

// Text is a string attribute value together with where it came from, so
// that diagnostics about characters inside the string point at the source.
type Text struct {
	Value string
	Range hcl.Range // the whole expression
	// Offsets maps a byte offset in Value to a byte offset in the source
	// file, or is nil when the value did not come from one literal string.
	Offsets []int
	File    string
}

// SensitiveValues returns every sensitive string the configuration holds
// (values of sensitive variables and of auth blocks), so that writers of
// plans, state and logs can prove none of them is written.
func (c *Config) SensitiveValues() []string {
	var out []string
	for _, v := range c.secrets {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
