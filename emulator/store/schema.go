package store

import (
	"fmt"
	"strings"
	"time"
)

// Service names one of the two data services of a pair.
type Service string

// The two services an emulator serves.
const (
	Dataverse Service = "dataverse"
	FinOps    Service = "finops"
)

// Column types. Dataverse columns use the AttributeType names of its metadata; F&O columns use the
// DataType names of /Metadata/PublicEntities.
const (
	TypeString   = "String"
	TypeMemo     = "Memo"
	TypeInteger  = "Integer"
	TypeBigInt   = "BigInt"
	TypeDecimal  = "Decimal"
	TypeMoney    = "Money"
	TypeDouble   = "Double"
	TypeBoolean  = "Boolean"
	TypeDateTime = "DateTime"
	TypePicklist = "Picklist"
	TypeState    = "State"
	TypeStatus   = "Status"
	TypeLookup   = "Lookup"
	TypeCustomer = "Customer"
	TypeUniqueID = "Uniqueidentifier"
	TypeEnum     = "Enum" // F&O enum; values travel as member names
	TypeInt64    = "Int64"
	TypeReal     = "Real"
	TypeDate     = "Date"
	TypeGUID     = "Guid"
)

// Key index states of a Dataverse alternate key (EntityKeyIndexStatus).
const (
	KeyPending    = "Pending"
	KeyInProgress = "InProgress"
	KeyActive     = "Active"
	KeyFailed     = "Failed"
)

// Table is the metadata of one Dataverse table or one F&O public data entity. Values of *Table handed
// out by the Store are shared and must be treated as read-only; change a copy and Store.PutTable it.
type Table struct {
	Service     Service `json:"service"`
	Name        string  `json:"name"`       // Dataverse logical name (account); F&O public entity name (CustomerV3)
	EntitySet   string  `json:"entity_set"` // Dataverse entity set name (accounts); F&O public collection (CustomersV3)
	Label       string  `json:"label"`
	MetadataID  string  `json:"metadata_id"`
	PrimaryID   string  `json:"primary_id,omitempty"`   // Dataverse primary key column ({logical}id)
	PrimaryName string  `json:"primary_name,omitempty"` // Dataverse primary name column
	// CompanyColumn is the company column: the Dataverse lookup to cdm_company (msdyn_company) or the F&O
	// dataAreaId. Empty for global tables and shared entities.
	CompanyColumn  string   `json:"company_column,omitempty"`
	OwnershipType  string   `json:"ownership_type,omitempty"`
	ChangeTracking bool     `json:"change_tracking,omitempty"`
	Columns        []Column `json:"columns"`
	// Keys are Dataverse alternate keys; for an F&O entity Keys[0] is the entity key.
	Keys []Key `json:"keys"`
}

// Column is the metadata of one column (Dataverse attribute, F&O entity property).
type Column struct {
	Name       string   `json:"name"`
	Type       string   `json:"type"`
	Label      string   `json:"label,omitempty"`
	MetadataID string   `json:"metadata_id"`
	MaxLength  int      `json:"max_length,omitempty"`
	Precision  int      `json:"precision,omitempty"`
	Required   bool     `json:"required,omitempty"`  // Dataverse ApplicationRequired; F&O IsMandatory
	ReadOnly   bool     `json:"read_only,omitempty"` // not valid for create or update / AllowEdit = No
	EnumType   string   `json:"enum_type,omitempty"` // F&O enum type name (NoYes)
	Options    []Option `json:"options,omitempty"`   // Dataverse option set values; F&O enum members
	Targets    []string `json:"targets,omitempty"`   // Dataverse lookup target tables (logical names)
	// AutoNumberFormat makes a Dataverse string column an autonumber column.
	AutoNumberFormat string `json:"auto_number_format,omitempty"`
}

// Option is one value of a Dataverse option set or one member of an F&O enum.
type Option struct {
	Value int    `json:"value"`
	Label string `json:"label"`
}

// Key is a Dataverse alternate key (with its index status) or an F&O entity key.
type Key struct {
	SchemaName string    `json:"schema_name"`
	MetadataID string    `json:"metadata_id"`
	Columns    []string  `json:"columns"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
}

// LogicalName is the lowercase form of the key's schema name, as Dataverse reports it.
func (k Key) LogicalName() string { return strings.ToLower(k.SchemaName) }

// Column returns the column named name (case-insensitively for F&O, exactly for Dataverse).
func (t *Table) Column(name string) (*Column, bool) {
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Name == name || (t.Service == FinOps && strings.EqualFold(c.Name, name)) {
			return c, true
		}
	}
	return nil, false
}

// Key returns the key named by its schema or logical name.
func (t *Table) Key(name string) (*Key, bool) {
	for i := range t.Keys {
		if strings.EqualFold(t.Keys[i].SchemaName, name) || t.Keys[i].MetadataID == name {
			return &t.Keys[i], true
		}
	}
	return nil, false
}

// KeyFor returns the active key whose column set equals cols (order-insensitive).
func (t *Table) KeyFor(cols []string) (*Key, bool) {
	for i := range t.Keys {
		k := &t.Keys[i]
		if k.Status == KeyActive && sameSet(k.Columns, cols) {
			return k, true
		}
	}
	return nil, false
}

// Clone returns a deep copy of t, for changing and storing again.
func (t *Table) Clone() *Table {
	c := *t
	c.Columns = append([]Column(nil), t.Columns...)
	for i := range c.Columns {
		c.Columns[i].Options = append([]Option(nil), c.Columns[i].Options...)
		c.Columns[i].Targets = append([]string(nil), c.Columns[i].Targets...)
	}
	c.Keys = append([]Key(nil), t.Keys...)
	for i := range c.Keys {
		c.Keys[i].Columns = append([]string(nil), c.Keys[i].Columns...)
	}
	return &c
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[strings.ToLower(s)]++
	}
	for _, s := range b {
		s = strings.ToLower(s)
		if seen[s] == 0 {
			return false
		}
		seen[s]--
	}
	return true
}

// LookupValueName is the read form of a Dataverse lookup column: _{name}_value.
func LookupValueName(col string) string { return "_" + col + "_value" }

// IsLookup tells whether a Dataverse column type is a lookup.
func IsLookup(typ string) bool { return typ == TypeLookup || typ == TypeCustomer }

// KeyColumns maps integration-key fields to the table's columns (a lookup path to its lookup).
func KeyColumns(t *Table, fields []string) ([]string, error) {
	cols := make([]string, 0, len(fields))
	for _, f := range fields {
		head, _, path := strings.Cut(f, ".")
		cc, ok := t.Column(head)
		switch {
		case !ok:
			return nil, fmt.Errorf("column %s does not exist in table %s", head, t.Name)
		case path && !IsLookup(cc.Type):
			return nil, fmt.Errorf("%s is not a lookup of table %s, so %s is not a lookup path", head, t.Name, f)
		}
		cols = append(cols, cc.Name)
	}
	return cols, nil
}
