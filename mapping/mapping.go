package mapping

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/filter"
)

// Direction is a field mapping's direction as the service stores it.
type Direction int

// The directions [O].
const (
	ToDataverse Direction = 1
	ToFinOps    Direction = 2
	Both        Direction = 3
)

// Field is one field mapping.
type Field struct {
	// FinOps is the F&O field, "" for a constant written into Dataverse.
	FinOps string
	// Dataverse is the column or lookup path, "" for a constant written into F&O.
	Dataverse string
	Direction Direction
	// ValueMap translates F&O values (keys) to Dataverse values.
	ValueMap map[string]string
	// Default is written when the source value is missing or empty; nil for none.
	Default *string
}

// Map is a table map's definition.
type Map struct {
	Fields []Field
	// FinOpsFilter (X++) and DataverseFilter (OData) choose the source rows of each leg; "" for none.
	FinOpsFilter, DataverseFilter string
	// FinOpsCompany and DataverseCompany are the company columns of a company-specific map
	// ("dataAreaId", "msdyn_company.cdm_companycode"); empty for a global map.
	FinOpsCompany, DataverseCompany string
}

// Compiled is a Map with its filters parsed, ready to transform rows. It is immutable.
type Compiled struct {
	m      Map
	fo, dv filter.Expr
}

// Compile parses the map's filters.
func Compile(m Map) (*Compiled, error) {
	c := &Compiled{m: m}
	var err error
	if c.fo, err = parse(filter.ParseFinOps, "F&O", m.FinOpsFilter); err != nil {
		return nil, err
	}
	if c.dv, err = parse(filter.ParseDataverse, "Dataverse", m.DataverseFilter); err != nil {
		return nil, err
	}
	return c, nil
}

func parse(p func(string) (filter.Expr, []filter.Diagnostic), side, src string) (filter.Expr, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	expr, diags := p(src)
	for _, d := range diags {
		if d.Severity == filter.Error {
			return nil, fmt.Errorf("%s filter %q: %s", side, src, d.Error())
		}
	}
	return expr, nil
}

// Map returns the definition c was compiled from.
func (c *Compiled) Map() Map { return c.m }

// FinOpsSelected reports whether an F&O row passes the F&O filter (flows to Dataverse).
func (c *Compiled) FinOpsSelected(row filter.Row) (bool, error) { return eval(c.fo, row) }

// DataverseSelected reports whether a Dataverse row passes the Dataverse filter (flows to F&O).
func (c *Compiled) DataverseSelected(row filter.Row) (bool, error) { return eval(c.dv, row) }

func eval(e filter.Expr, row filter.Row) (bool, error) {
	if e == nil {
		return true, nil
	}
	return e.Eval(row)
}

// ToDataverse transforms an F&O row into the Dataverse columns the map writes, keyed by column or
// lookup path. Value-mapped values are the map's text; others keep their type.
func (c *Compiled) ToDataverse(row filter.Row) (map[string]any, error) {
	out := map[string]any{}
	for _, f := range c.m.Fields {
		if f.Dataverse == "" || (f.Direction != ToDataverse && f.Direction != Both) {
			continue
		}
		v, err := transform(f, f.FinOps, row, forward)
		if err != nil {
			return nil, fmt.Errorf("%s → %s: %w", nameOr(f.FinOps), f.Dataverse, err)
		}
		out[f.Dataverse] = v
	}
	if c.m.FinOpsCompany != "" && c.m.DataverseCompany != "" {
		if v, ok := row.Value(c.m.FinOpsCompany); ok && v != nil {
			out[c.m.DataverseCompany] = strings.ToUpper(text(v))
		}
	}
	return out, nil
}

// ToFinOps transforms a Dataverse row (whose Value resolves lookup paths) into the F&O fields the
// map writes.
func (c *Compiled) ToFinOps(row filter.Row) (map[string]any, error) {
	out := map[string]any{}
	for _, f := range c.m.Fields {
		if f.FinOps == "" || (f.Direction != ToFinOps && f.Direction != Both) {
			continue
		}
		v, err := transform(f, f.Dataverse, row, backward)
		if err != nil {
			return nil, fmt.Errorf("%s → %s: %w", nameOr(f.Dataverse), f.FinOps, err)
		}
		out[f.FinOps] = v
	}
	if c.m.FinOpsCompany != "" && c.m.DataverseCompany != "" {
		if v, ok := row.Value(c.m.DataverseCompany); ok && v != nil {
			out[c.m.FinOpsCompany] = strings.ToLower(text(v))
		}
	}
	return out, nil
}

func nameOr(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

type way int

const (
	forward way = iota
	backward
)

// transform reads the source value of f and applies its ValueMap and Default.
func transform(f Field, source string, row filter.Row, w way) (any, error) {
	var v any
	if source != "" {
		v, _ = row.Value(source)
	}
	if v != nil && text(v) != "" && len(f.ValueMap) > 0 {
		mapped, ok := lookupValue(f.ValueMap, text(v), w)
		if !ok {
			return nil, fmt.Errorf("value %q has no entry in the value map", text(v))
		}
		v = mapped
	}
	if (v == nil || text(v) == "") && f.Default != nil {
		return *f.Default, nil
	}
	return v, nil
}

func lookupValue(vm map[string]string, v string, w way) (string, bool) {
	for k, x := range vm {
		from, to := k, x
		if w == backward {
			from, to = x, k
		}
		if strings.EqualFold(strings.TrimSpace(from), strings.TrimSpace(v)) {
			return to, true
		}
	}
	return "", false
}

// text renders a value as the services compare it in value maps and keys.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// Text renders a row value as text the way value maps and keys compare it (numbers without a
// trailing ".0", booleans as true/false, nil as "").
func Text(v any) string { return text(v) }

// Same reports whether two row values are the same as the services compare
// them: numbers by value ("1" and "1.0000000000"), everything else as text
// (nil is the empty text).
func Same(a, b any) bool {
	x, y := text(a), text(b)
	if x == y {
		return true
	}
	fx, errX := strconv.ParseFloat(x, 64)
	fy, errY := strconv.ParseFloat(y, 64)
	return errX == nil && errY == nil && fx == fy
}
