package providers

import "context"

// Row is one record as a service returns it: column name to JSON value. Numbers are json.Number, so
// 64-bit integers and decimals keep their exact text; annotations such as "@odata.etag" are kept.
type Row map[string]any

// ETag returns the row's "@odata.etag" annotation, or "" when the service sent none.
func (r Row) ETag() string {
	s, _ := r["@odata.etag"].(string)
	return s
}

// Query selects rows of one table: a service-side filter in that service's $filter dialect, the columns
// to return, an order, a cap on the number of rows and a page size hint.
type Query struct {
	// Filter is an OData $filter expression, sent as given.
	Filter string
	// Select names the columns to return; empty means every column (avoid on wide tables).
	Select []string
	// OrderBy holds "column" or "column desc" items.
	OrderBy []string
	// Top caps the total number of rows; 0 means no cap.
	Top int
	// PageSize asks for pages of at most this many rows where the service lets the client choose;
	// 0 leaves the choice to the client's default.
	PageSize int
	// Company limits an F&O query to one legal entity (dataAreaId) and turns cross-company on.
	// Dataverse clients reject it: name the company column in Filter instead.
	Company string
	// AllCompanies makes an F&O query read the rows of every company the caller may see
	// (cross-company=true); without it F&O answers with the caller's default company only.
	// Dataverse has no company scope and ignores it.
	AllCompanies bool
}

// GUID is a Dataverse row id or a lookup value; in a key it is written bare, not quoted.
type GUID string

// Enum is an F&O enumeration literal such as Microsoft.Dynamics.DataEntities.NumberSequenceType'DataArea'.
type Enum struct {
	// Type is the enumeration's qualified name, e.g. "Microsoft.Dynamics.DataEntities.NoYes".
	Type string
	// Member is the member name, e.g. "Yes".
	Member string
}

// KeyPart is one named part of a key. Value is a string, GUID, Enum, bool or an integer type.
type KeyPart struct {
	Name  string
	Value any
}

// Key addresses one row: its primary id (a single part with an empty Name and a GUID value) or a key
// with every part named, in the order the key declares them. Parts are named as a key URL names them:
// on Dataverse a lookup part is "_msdyn_company_value" (the documented form for keys on lookups); on
// F&O a company-striped entity's key starts with "dataAreaId".
type Key []KeyPart

// WriteKind says what a Write does to the row its key addresses.
type WriteKind string

// The write kinds. An upsert creates the row when its key matches nothing and updates it otherwise.
const (
	Create WriteKind = "create"
	Update WriteKind = "update"
	Upsert WriteKind = "upsert"
	Delete WriteKind = "delete"
)

// Write is one operation of a batch on one table.
type Write struct {
	Kind WriteKind
	// Key addresses the row; Create ignores it (the body carries the values).
	Key Key
	// Row holds the columns to write. Send only the columns that change.
	Row Row
	// IfMatch, when set, makes the write conditional on the row's current ETag ("*" means "exists").
	IfMatch string
}

// WriteResult is the outcome of one Write, in the order the writes were given.
type WriteResult struct {
	// Status is the HTTP status of the operation (0 when it never ran because the batch stopped).
	Status int
	// Created is true when a Create or Upsert made a new row.
	Created bool
	// EntityID is the URI of the written row when the service returned one.
	EntityID string
	// ETag is the row's new version when the service returned one.
	ETag string
	// Err is the operation's error, an *Error when the service answered one.
	Err error
}

// BatchOptions controls how a list of writes is sent.
type BatchOptions struct {
	// Atomic sends all writes in one change set: all of them are committed or none is.
	Atomic bool
	// ContinueOnError asks the service to run the remaining operations after a failure (Dataverse
	// odata.continue-on-error); without it the batch stops at the first failure.
	ContinueOnError bool
	// Size is the number of operations per $batch request; 0 means the client's default.
	Size int
}

// RowReader reads rows of a table named by its entity set (Dataverse) or public collection (F&O) name.
type RowReader interface {
	// ListRows calls page for every page of rows matching q, in order, until the last page or until page
	// returns an error, which ListRows returns unchanged. Memory is bounded by the page size.
	ListRows(ctx context.Context, set string, q Query, page func([]Row) error) error
	// CountRows returns the number of rows matching q's Filter and Company.
	CountRows(ctx context.Context, set string, q Query) (int64, error)
	// GetRow reads one row by key; a missing row is an *Error for which IsNotFound is true.
	GetRow(ctx context.Context, set string, key Key, columns []string) (Row, error)
	// ListRowsBatch returns the rows matching each of qs, in the order of qs, reading them in a few
	// requests ($batch): lookups of many keys.
	ListRowsBatch(ctx context.Context, set string, qs []Query) ([][]Row, error)
}

// RowWriter changes rows of a table in batches.
type RowWriter interface {
	// WriteRows sends writes in $batch requests and returns one result per write. The error is non-nil
	// when a request as a whole failed; per-operation failures are in the results.
	WriteRows(ctx context.Context, set string, writes []Write, opts BatchOptions) ([]WriteResult, error)
}

// RowStore reads and writes rows.
type RowStore interface {
	RowReader
	RowWriter
}
