package applier

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/providers"
)

// finOpsSide builds the F&O side of a copy: fields by their metadata names,
// every company (cross-company), the X++ filter evaluated locally, rows
// ordered by the entity key.
func (c *copier) finOpsSide(fo providers.FinOps, meta providers.Table, keyCols []string) *side {
	names := map[string]providers.Column{}
	for _, col := range meta.Columns {
		names[strings.ToUpper(col.Name)] = col
	}
	actual := func(upper string) string {
		if col, ok := names[upper]; ok {
			return col.Name
		}
		return upper
	}
	var sel []string
	seen := map[string]bool{}
	add := func(upper string) {
		if upper != "" && !seen[upper] {
			seen[upper] = true
			sel = append(sel, actual(upper))
		}
	}
	for _, f := range c.ma.Fields {
		add(strings.ToUpper(f.FinOps))
	}
	var entityKey []string
	if len(meta.Keys) > 0 {
		entityKey = meta.Keys[0].Columns
	}
	for _, k := range append(append([]string{}, keyCols...), entityKey...) {
		add(strings.ToUpper(k))
	}
	if c.company {
		add("DATAAREAID")
	}
	s := &side{name: "finops", set: c.ma.FinOps, rs: fo, receives: c.receives("finops"), keyCols: keyCols}
	s.query = func(page int) providers.Query {
		return providers.Query{Select: sel, OrderBy: entityKey, PageSize: page, AllCompanies: true}
	}
	s.resolve = func(_ context.Context, r providers.Row) (valueRow, error) {
		v := valueRow{}
		for k, x := range r {
			v[strings.ToUpper(k)] = x
		}
		return v, nil
	}
	s.selected = func(v valueRow) (bool, error) { return c.cm.FinOpsSelected(v) }
	s.transform = func(v valueRow) (map[string]any, error) {
		out, err := c.cm.ToFinOps(v)
		if err != nil {
			return nil, err
		}
		for k, x := range out {
			out[k] = finOpsValue(names[k], x)
		}
		return out, nil
	}
	s.keyFilter = func(_ context.Context, keys [][]any) (string, error) {
		return keyFilter(keys, func(i int, v any) (string, bool) {
			return actual(keyCols[i]) + " eq " + literal(names[keyCols[i]].Type, v), true
		}), nil
	}
	// F&O has no nulls for most types: a missing value is not written.
	body := func(values map[string]any) providers.Row {
		row := providers.Row{}
		for k, x := range values {
			if x != nil {
				row[actual(k)] = x
			}
		}
		return row
	}
	key := func(v valueRow) providers.Key {
		var k providers.Key
		for _, col := range entityKey {
			x, _ := v.Value(strings.ToUpper(col))
			k = append(k, providers.KeyPart{Name: col, Value: mapping.Text(x)})
		}
		return k
	}
	s.create = func(_ context.Context, want map[string]any) (providers.Write, error) {
		return providers.Write{Kind: providers.Upsert, Key: key(valueRow(want)), Row: body(want)}, nil
	}
	s.update = func(_ context.Context, have valueRow, changed map[string]any) (providers.Write, error) {
		return providers.Write{Kind: providers.Update, Key: key(have), Row: body(changed)}, nil
	}
	return s
}

// finOpsValue converts a mapped value to the F&O field's type: numbers for
// Int, Int64 and Real, enum member names (as the metadata spells them) for
// Enum, text for String.
func finOpsValue(col providers.Column, v any) any {
	t := mapping.Text(v)
	if v == nil {
		return nil
	}
	switch col.Type {
	case "Int", "Int64":
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			return n
		}
	case "Real":
		if _, err := strconv.ParseFloat(t, 64); err == nil {
			return json.Number(t)
		}
	case "Enum":
		switch t {
		case "true":
			t = "Yes"
		case "false":
			t = "No"
		}
		for _, o := range col.Options {
			if strings.EqualFold(o.Label, t) || strconv.FormatInt(o.Value, 10) == t {
				return o.Label
			}
		}
		return t
	case "String":
		return t
	}
	return v
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

// sameValue compares a wanted value with the stored one: numbers by value,
// everything else as text.
func sameValue(want, have any) bool {
	a, b := mapping.Text(want), mapping.Text(have)
	if a == b {
		return true
	}
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	return errA == nil && errB == nil && fa == fb
}
