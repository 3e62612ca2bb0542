package providers

import (
	"context"
	"slices"
	"strings"
)

// Table is the metadata of one table: a Dataverse table (EntityDefinitions) or an F&O public data entity.
type Table struct {
	// LogicalName is the Dataverse logical name (account) or the F&O entity name (CustCustomerV3Entity).
	LogicalName string
	// EntitySetName is the name used in data URLs: accounts, CustomersV3.
	EntitySetName string
	// PrimaryID is the Dataverse primary id column (accountid); empty for F&O.
	PrimaryID string
	// ChangeTracking is true when the Dataverse table has change tracking enabled.
	ChangeTracking bool
	// ReadOnly is true for an F&O entity that cannot be written.
	ReadOnly bool
	Columns  []Column
	Keys     []AlternateKey
}

// Column returns the column with the given name (compared exactly) and whether it exists.
func (t Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// ColumnFold returns the column with the given name, compared without regard
// to case, and whether it exists.
func (t Table) ColumnFold(name string) (Column, bool) {
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return Column{}, false
}

// CompanySpecific reports whether an F&O entity is striped by company:
// dataAreaId is part of its key (its primary company context [D]).
func (t Table) CompanySpecific() bool {
	c, ok := t.ColumnFold("dataAreaId")
	return ok && c.IsKey
}

// CompanyLookup returns the lookup column of a Dataverse table that points
// at cdm_company, "" for a global table [D].
func (t Table) CompanyLookup() string {
	for _, c := range t.Columns {
		if strings.EqualFold(c.Type, "Lookup") && slices.ContainsFunc(c.Targets, func(s string) bool { return strings.EqualFold(s, "cdm_company") }) {
			return c.Name
		}
	}
	return ""
}

// Column is the metadata of one column.
type Column struct {
	Name string
	// Type is the service's own type name: Dataverse AttributeType (String, Integer, Picklist, Lookup,
	// Money, DateTime, Boolean, Uniqueidentifier, ...) or F&O DataType (String, Enum, Int, Int64, Real, ...).
	Type string
	// Required is true for a column that must have a value (Dataverse ApplicationRequired or
	// SystemRequired; F&O IsMandatory).
	Required bool
	// ReadOnly is true when the column cannot be written (Dataverse: neither IsValidForCreate nor
	// IsValidForUpdate; F&O: AllowEdit and AllowEditOnCreate both false).
	ReadOnly bool
	// IsKey is true for a column of the table's primary key (F&O) or its primary id (Dataverse).
	IsKey bool
	// MaxLength is the maximum length of a string column, 0 when unknown.
	MaxLength int
	// Options are the values of a choice (Dataverse option set, F&O enum).
	Options []Option
	// Targets are the tables a Dataverse lookup column points at.
	Targets []string
	// AutoNumberFormat is the Dataverse autonumber format of a string column, "" when none.
	AutoNumberFormat string
}

// Option is one value of a choice column or an enumeration.
type Option struct {
	Value int64
	Label string
}

// KeyStatus is the state of an alternate key's index.
type KeyStatus string

// The EntityKeyIndexStatus values. Only an Active key can address rows.
const (
	KeyPending    KeyStatus = "Pending"
	KeyInProgress KeyStatus = "InProgress"
	KeyActive     KeyStatus = "Active"
	KeyFailed     KeyStatus = "Failed"
)

// AlternateKey is a Dataverse alternate key (EntityKeyMetadata), or an F&O entity key (always Active).
type AlternateKey struct {
	// ID is the key's MetadataId.
	ID          string
	SchemaName  string
	LogicalName string
	DisplayName string
	// Columns are the key's column logical names, in key order.
	Columns []string
	Status  KeyStatus
}

// SchemaReader reads table metadata in bulk.
type SchemaReader interface {
	// Tables returns the metadata of the named tables (Dataverse logical names, F&O public collection
	// names) with their columns and keys. A name that does not exist is an *Error with IsNotFound.
	Tables(ctx context.Context, names []string) ([]Table, error)
}

// AutoNumber is the autonumber set-up of one Dataverse string column.
type AutoNumber struct {
	Table  string
	Column string
	// Format is AutoNumberFormat, e.g. "CNR-{SEQNUM:4}".
	Format string
	// Next is the value {SEQNUM} gives the next row (GetNextAutoNumberValue).
	Next int64
}

// SchemaWriter changes the Dataverse schema items dwctl manages.
type SchemaWriter interface {
	// CreateAlternateKey defines a key on table; its index starts Pending. It returns the key as read
	// back, with its MetadataId.
	CreateAlternateKey(ctx context.Context, table string, key AlternateKey) (AlternateKey, error)
	// AlternateKeys lists the keys of table with their index status.
	AlternateKeys(ctx context.Context, table string) ([]AlternateKey, error)
	// DeleteAlternateKey removes the key with the given MetadataId.
	DeleteAlternateKey(ctx context.Context, table, id string) error
	// AutoNumber reads the format and next value of an autonumber column.
	AutoNumber(ctx context.Context, table, column string) (AutoNumber, error)
	// SetAutoNumberFormat sets AutoNumberFormat on an existing string column.
	SetAutoNumberFormat(ctx context.Context, table, column, format string) error
	// SetAutoNumberSeed sets the next {SEQNUM} value of the column (SetAutoNumberSeed).
	SetAutoNumberSeed(ctx context.Context, table, column string, seed int64) error
}
