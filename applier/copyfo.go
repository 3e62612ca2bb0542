package applier

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/providers"
)

// foSide is the F&O side of a copy: fields by their metadata names, every
// company (cross-company), the X++ filter evaluated locally, rows ordered
// by the entity key.
type foSide struct {
	c         *copier
	names     map[string]providers.Column // by upper-case name
	keyCols   []string                    // integration key, upper case
	entityKey []string                    // the entity's own key, as named
	sel       []string
}

// finOpsSide builds the F&O side of a copy.
func (c *copier) finOpsSide(fo providers.FinOps, meta providers.Table, keyCols []string) *side {
	f := &foSide{c: c, names: map[string]providers.Column{}, keyCols: keyCols}
	for _, col := range meta.Columns {
		f.names[strings.ToUpper(col.Name)] = col
	}
	if len(meta.Keys) > 0 {
		f.entityKey = meta.Keys[0].Columns
	}
	for _, fm := range c.ma.Fields {
		f.add(fm.FinOps)
	}
	for _, k := range append(append([]string{}, keyCols...), f.entityKey...) {
		f.add(k)
	}
	if c.company {
		f.add("DATAAREAID")
	}
	return &side{name: "finops", set: c.ma.FinOps, rs: fo, receives: c.receives("finops"), keyCols: keyCols,
		query: f.query, resolve: f.resolve, selected: func(v valueRow) (bool, error) { return c.cm.FinOpsSelected(v) },
		transform: f.transform,
		keyFilter: f.keyFilter, create: f.create, update: f.update}
}

// actual returns a field's name as the metadata spells it.
func (f *foSide) actual(upper string) string {
	if col, ok := f.names[upper]; ok {
		return col.Name
	}
	return upper
}

func (f *foSide) add(name string) {
	if name == "" {
		return
	}
	if a := f.actual(strings.ToUpper(name)); !slices.Contains(f.sel, a) {
		f.sel = append(f.sel, a)
	}
}

func (f *foSide) query(page int) providers.Query {
	return providers.Query{Select: f.sel, OrderBy: f.entityKey, PageSize: page, AllCompanies: true}
}

// resolve keys a row by upper-case field name.
func (f *foSide) resolve(_ context.Context, r providers.Row) (valueRow, error) {
	v := valueRow{}
	for k, x := range r {
		v[strings.ToUpper(k)] = x
	}
	return v, nil
}

// transform turns a Dataverse row into typed F&O values.
func (f *foSide) transform(v valueRow) (map[string]any, error) {
	out, err := f.c.cm.ToFinOps(v)
	if err != nil {
		return nil, err
	}
	for k, x := range out {
		out[k] = finOpsValue(f.names[k], x)
	}
	return out, nil
}

func (f *foSide) keyFilter(_ context.Context, keys [][]any) (string, error) {
	return keyFilter(keys, func(i int, v any) (string, bool) {
		return f.actual(f.keyCols[i]) + " eq " + literal(f.names[f.keyCols[i]].Type, v), true
	}), nil
}

// body names the fields as the metadata does. F&O has no nulls for most
// types: a missing value is not written.
func (f *foSide) body(values map[string]any) providers.Row {
	row := providers.Row{}
	for k, x := range values {
		if x != nil {
			row[f.actual(k)] = x
		}
	}
	return row
}

// key returns the entity key of a row.
func (f *foSide) key(v valueRow) providers.Key {
	var k providers.Key
	for _, col := range f.entityKey {
		x, _ := v.Value(strings.ToUpper(col))
		k = append(k, providers.KeyPart{Name: col, Value: mapping.Text(x)})
	}
	return k
}

func (f *foSide) create(_ context.Context, want map[string]any) (providers.Write, error) {
	return providers.Write{Kind: providers.Upsert, Key: f.key(valueRow(want)), Row: f.body(want)}, nil
}

func (f *foSide) update(_ context.Context, have valueRow, changed map[string]any) (providers.Write, error) {
	return providers.Write{Kind: providers.Update, Key: f.key(have), Row: f.body(changed)}, nil
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
