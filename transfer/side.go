package transfer

import (
	"context"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/filter"
	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/providers"
)

// valueRow is a row as the copy compares it: F&O fields by upper-case name,
// Dataverse columns and lookup paths ("x.y", resolved) by lower-case name.
type valueRow = filter.MapRow

// side is one environment of a copy.
type side struct {
	name       string // "finops" or "dataverse"
	set        string
	rs         providers.RowStore
	receives   bool // some field flows to this side
	keyCols    []string
	companyCol string // the company column of a row, as resolved
	query      func(page int) providers.Query
	resolve    func(ctx context.Context, r providers.Row) (valueRow, error)
	selected   func(v valueRow) (bool, error)
	// transform turns the other side's row into this side's values.
	transform func(v valueRow) (map[string]any, error)
	// mandatory fails a write that leaves a mandatory column empty: the
	// values written, and for an update the row as it is.
	mandatory func(values map[string]any, have valueRow) error
	keyFilter func(ctx context.Context, keys [][]any) (string, error)
	create    func(ctx context.Context, want map[string]any) (providers.Write, error)
	update    func(ctx context.Context, have valueRow, changed map[string]any) (providers.Write, error)
}

func (s *side) keyValues(v valueRow) []any {
	out := make([]any, len(s.keyCols))
	for i, c := range s.keyCols {
		out[i], _ = v.Value(c)
	}
	return out
}

// keyString is the matching form of a row's key: parts as text, upper case
// (Dataverse compares text case-insensitively).
func (s *side) keyString(v valueRow) string {
	var parts []string
	for _, x := range s.keyValues(v) {
		parts = append(parts, strings.ToUpper(mapping.Text(x)))
	}
	return strings.Join(parts, "\x1f")
}

// keyText is a row's key as people read it: "US-001, USMF".
func (s *side) keyText(v valueRow) string {
	var parts []string
	for _, x := range s.keyValues(v) {
		parts = append(parts, mapping.Text(x))
	}
	return strings.Join(parts, ", ")
}

// keyFilter ORs one AND-clause per key; part returns a part's comparison,
// or false when the key cannot exist on that side.
func keyFilter(keys [][]any, part func(i int, v any) (string, bool)) string {
	var ors []string
	for _, k := range keys {
		var ands []string
		ok := true
		for i, v := range k {
			s, exists := part(i, v)
			if !exists {
				ok = false
				break
			}
			ands = append(ands, s)
		}
		if ok && len(ands) > 0 {
			ors = append(ors, "("+strings.Join(ands, " and ")+")")
		}
	}
	return strings.Join(ors, " or ")
}

// literal writes a value as an OData literal for a column of the given type.
func literal(typ string, v any) string {
	t := mapping.Text(v)
	switch typ {
	case "Int", "Int64", "Real", "Integer", "BigInt", "Decimal", "Double", "Money", "Picklist":
		if _, err := strconv.ParseFloat(t, 64); err == nil {
			return t
		}
	}
	return "'" + strings.ReplaceAll(t, "'", "''") + "'"
}

// sameValue compares a wanted value with the stored one (mapping.Same).
func sameValue(want, have any) bool { return mapping.Same(want, have) }

// withoutNils returns values without the nil ones: a new row leaves them
// unset.
func withoutNils(values map[string]any) map[string]any {
	out := make(map[string]any, len(values))
	for k, v := range values {
		if v != nil {
			out[k] = v
		}
	}
	return out
}
