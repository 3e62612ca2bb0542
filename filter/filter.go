package filter

import (
	"fmt"
	"sort"
)

// Lang names a filter language.
type Lang int

const (
	// Dataverse is the OData $filter subset of a table map's Dataverse side.
	Dataverse Lang = iota + 1
	// FinOps is the X++ query-range expression of a table map's F&O side.
	FinOps
	// FinOpsOData is the OData $filter dialect of the F&O data API (/data/).
	FinOpsOData
)

// String returns the language's name as users read it.
func (l Lang) String() string {
	switch l {
	case Dataverse:
		return "Dataverse"
	case FinOps:
		return "F&O"
	case FinOpsOData:
		return "F&O OData"
	}
	return fmt.Sprintf("Lang(%d)", int(l))
}

// Severity of a Diagnostic.
type Severity int

const (
	// Error means the filter is rejected: Parse returns no Expr.
	Error Severity = iota + 1
	// Warning means the filter works but is not what it seems or not canonical.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// Diagnostic is a problem found in one expression. Start/End are BYTE offsets
// into the expression source: src[Start:End] are the offending characters
// (End == Start only at the end of the input).
type Diagnostic struct {
	Severity Severity
	Start    int
	End      int
	// Summary is terse ("Navigation path in a dual-write filter").
	Summary string
	// Detail says what to do about it.
	Detail string
	// Rewrite is the canonical form of the whole expression, for warnings
	// about a non-canonical form that has one; empty otherwise.
	Rewrite string
}

// Error formats the diagnostic as "error at 5: summary: detail".
func (d Diagnostic) Error() string {
	s := fmt.Sprintf("%s at %d: %s", d.Severity, d.Start, d.Summary)
	if d.Detail != "" {
		s += ": " + d.Detail
	}
	return s
}

// Expr is a parsed filter. It is immutable: Eval may be called from many
// goroutines at once.
type Expr interface {
	// Lang is the language the filter was parsed as.
	Lang() Lang
	// String is the canonical form. Parsing it again yields the same tree.
	String() string
	// Eval reports whether row passes the filter, with the language's
	// semantics. The error reports a value the filter cannot be compared
	// with (a type mismatch the service would reject).
	Eval(row Row) (bool, error)
	// Columns lists every column named, in source order, with positions and
	// the literals each is compared with.
	Columns() []ColumnRef
}

// ColumnRef is one column named in a filter.
type ColumnRef struct {
	// Name as written: "name", "_msdyn_company_value",
	// "primarycontactid/fullname" (Web API mode), "DirPartyTable.Name" (F&O).
	Name  string
	Start int
	End   int
	// Literals are the constants the column is compared with at this place
	// (one for a comparison or a function call; none against another column).
	Literals []Literal
	// Operator is the comparison or function applied: "eq", "==", "like",
	// "contains", ...
	Operator string
}

// LiteralKind is the type of a constant in a filter.
type LiteralKind int

const (
	// LitNull is the OData null.
	LitNull LiteralKind = iota + 1
	// LitBool is true or false.
	LitBool
	// LitInt is an integer.
	LitInt
	// LitDecimal is a number with a fraction or an exponent.
	LitDecimal
	// LitString is a quoted string.
	LitString
	// LitGUID is a bare GUID (OData).
	LitGUID
	// LitDate is a date without time (OData 2021-06-23, X++ 23\06\2021).
	LitDate
	// LitDateTime is a date and time (ISO 8601).
	LitDateTime
	// LitEnum is an enum value: X++ Type::Value or OData Namespace.Type'Value'.
	LitEnum
)

var literalKindNames = [...]string{"", "null", "bool", "int", "decimal", "string", "guid", "date", "datetime", "enum"}

// String returns the kind's name ("string", "int", ...).
func (k LiteralKind) String() string {
	if k > 0 && int(k) < len(literalKindNames) {
		return literalKindNames[k]
	}
	return fmt.Sprintf("LiteralKind(%d)", int(k))
}

// Literal is a constant a column is compared with.
type Literal struct {
	Kind LiteralKind
	// Text is the literal in canonical form, as String prints it.
	Text  string
	Start int
	End   int
	// Enum is the enum type of a LitEnum ("AccountType"), Value its value name
	// ("Customer"). Value is also the unquoted text of a LitString.
	Enum  string
	Value string
}

// Parse parses src as a filter of lang. Expr is nil when there is an Error
// diagnostic; warnings come with a usable Expr.
func Parse(lang Lang, src string) (Expr, []Diagnostic) {
	switch lang {
	case Dataverse:
		return ParseDataverse(src)
	case FinOps:
		return ParseFinOps(src)
	case FinOpsOData:
		return ParseFinOpsOData(src)
	}
	return nil, []Diagnostic{{Severity: Error, Summary: "Unknown filter language",
		Detail: fmt.Sprintf("%v is not a filter language.", lang)}}
}

// ParseDataverse parses a Dataverse filter of a dual-write table map (dual-write
// filter mode): the OData $filter subset dual-write accepts.
func ParseDataverse(src string) (Expr, []Diagnostic) {
	return parseOData(src, modeDualWrite)
}

// ParseWebAPI parses a $filter as the Dataverse Web API receives it (Web API
// mode). It differs from ParseDataverse in accepting navigation paths
// (evaluated by asking the Row for "lookup/column"), the query functions
// Microsoft.Dynamics.CRM.In, NotIn, Between and NotBetween, and column names
// in any case; the other dual-write rules stay errors.
func ParseWebAPI(src string) (Expr, []Diagnostic) {
	return parseOData(src, modeWebAPI)
}

// ParseFinOpsOData parses a $filter as the F&O OData endpoint receives it.
func ParseFinOpsOData(src string) (Expr, []Diagnostic) {
	return parseOData(src, modeFinOpsOData)
}

// ParseFinOps parses an F&O query-range expression of a dual-write table map.
func ParseFinOps(src string) (Expr, []Diagnostic) {
	return parseFinOps(src)
}

// HasErrors reports whether diags holds an Error.
func HasErrors(diags []Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// sortDiagnostics orders diagnostics by position, keeping the order of those
// at the same place. Rewrite indexes must be applied before sorting.
func sortDiagnostics(diags []Diagnostic) {
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Start < diags[j].Start })
}

// Equalities returns what a filter pins by equality, for index lookups:
// when every row the filter matches satisfies all the column = value
// comparisons of at least one of the returned alternatives, it returns
// them (column name as written → the literal's value: nil, bool, int64,
// float64, time.Time or string, GUIDs lowercased) and true. An and of an
// or distributes ("a eq 1 and (k eq 2 or k eq 3)" pins {a:1,k:2} or
// {a:1,k:3}), up to maxAlternatives. It returns false when some
// alternative pins no column (a row could match it without any equality),
// so only a scan finds its rows. The filter itself must still be
// evaluated on the rows found.
func Equalities(e Expr) ([]map[string]any, bool) {
	var root node
	switch x := e.(type) {
	case *odataExpr:
		root = x.root
	case *finopsExpr:
		root = x.root
	default:
		return nil, false
	}
	return alternatives(root)
}

// maxAlternatives bounds what Equalities distributes.
const maxAlternatives = 1000

func alternatives(n node) ([]map[string]any, bool) {
	switch x := n.(type) {
	case *compare:
		col, v, ok := equality(x)
		if !ok {
			return nil, false
		}
		return []map[string]any{{col: v}}, true
	case *logical:
		if x.op == opOr {
			var out []map[string]any
			for _, o := range x.operands {
				alts, ok := alternatives(o)
				if !ok || len(out)+len(alts) > maxAlternatives {
					return nil, false
				}
				out = append(out, alts...)
			}
			return out, true
		}
		out := []map[string]any{{}}
		for _, o := range x.operands {
			alts, ok := alternatives(o)
			if !ok || len(out)*len(alts) > maxAlternatives {
				continue // this operand only filters further
			}
			var next []map[string]any
			for _, a := range out {
				for _, b := range alts {
					m := make(map[string]any, len(a)+len(b))
					for k, v := range a {
						m[k] = v
					}
					for k, v := range b {
						m[k] = v
					}
					next = append(next, m)
				}
			}
			out = next
		}
		for _, m := range out {
			if len(m) == 0 {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// equality returns the column and value of a column = literal comparison.
func equality(c *compare) (string, any, bool) {
	if c.op != cmpEq || c.pattern != nil {
		return "", nil, false
	}
	col, lit := asColumnLiteral(c.left, c.right)
	if col == nil {
		col, lit = asColumnLiteral(c.right, c.left)
	}
	if col == nil {
		return "", nil, false
	}
	if _, isEnum := lit.v.(enumValue); isEnum {
		return "", nil, false
	}
	return col.name, lit.v, true
}

func asColumnLiteral(a, b operand) (*column, *literal) {
	col, ok := a.(*column)
	if !ok {
		return nil, nil
	}
	lit, ok := b.(*literal)
	if !ok {
		return nil, nil
	}
	return col, lit
}
