package transfer

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
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
	c         *Copier
	meta      providers.Table
	names     map[string]providers.Column // by upper-case name
	entityKey []string                    // the entity's own key, as named
	sel       []string
}

// finOpsSide builds the F&O side of a copy.
func (c *Copier) finOpsSide(keyCols []string) *side {
	meta := c.spec.FinOpsTable
	f := &foSide{c: c, meta: meta, names: map[string]providers.Column{}}
	for _, col := range meta.Columns {
		f.names[strings.ToUpper(col.Name)] = col
	}
	if len(meta.Keys) > 0 {
		f.entityKey = meta.Keys[0].Columns
	}
	for _, fm := range c.spec.Map.Fields {
		f.add(fm.FinOps)
	}
	for _, k := range append(append([]string{}, keyCols...), f.entityKey...) {
		f.add(k)
	}
	if c.company {
		f.add(finOpsCompany)
	}
	return &side{name: "finops", set: meta.EntitySetName, rs: c.spec.FinOps, receives: c.receives("finops"), keyCols: keyCols,
		companyCol: finOpsCompany, query: f.query, resolve: f.resolve,
		selected:  func(v valueRow) (bool, error) { return c.cm.FinOpsSelected(enumRow{v, f.names}) },
		transform: f.transform, mandatory: f.mandatory, keyFilter: f.keyFilter, create: f.create, update: f.update}
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

// query reads the entity across companies; a company-specific map only in
// the linked companies, which are the only ones a copy writes.
func (f *foSide) query(page int) providers.Query {
	q := providers.Query{Select: f.sel, OrderBy: f.entityKey, PageSize: page, AllCompanies: true}
	if f.c.company && len(f.c.linked) > 0 {
		var or []string
		for _, code := range slices.Sorted(maps.Keys(f.c.linked)) {
			or = append(or, f.actual(finOpsCompany)+" eq "+literal("String", strings.ToLower(code)))
		}
		q.Filter = strings.Join(or, " or ")
	}
	return q
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
		out[k] = finOpsValue(f.names[strings.ToUpper(k)], x)
	}
	return out, nil
}

// mandatory fails a write that leaves a mandatory F&O field empty, as F&O
// refuses it ("Field '…' must be filled in"): a field F&O has no default
// for (text, dates, ids — enums and numbers start at their zero value)
// that the write leaves empty, or that a new row does not get at all; the
// entity's key fields likewise.
func (f *foSide) mandatory(values map[string]any, have valueRow) error {
	for _, col := range f.meta.Columns {
		if !MustBeFilled(col) {
			continue
		}
		up := strings.ToUpper(col.Name)
		v, written := values[up]
		if !written && have != nil {
			continue // an update leaves the field as it is
		}
		if v == nil || mapping.Text(v) == "" {
			return rowFailure{reason: fmt.Sprintf("the mandatory F&O field %s would be empty", col.Name)}
		}
	}
	return nil
}

// MustBeFilled reports whether F&O refuses a row that leaves the field
// empty: a mandatory or key field, writable, that F&O has no default for
// (text, dates, ids — enums and numbers start at their zero value); the
// company (dataAreaId) comes with the row's company. The copy and the
// service initial sync's preview share this rule.
func MustBeFilled(col providers.Column) bool {
	if !(col.Required || col.IsKey) || col.ReadOnly || strings.EqualFold(col.Name, finOpsCompany) {
		return false
	}
	switch col.Type {
	case "Enum", "Int", "Int64", "Real", "DateTime":
		return false
	}
	return true
}

func (f *foSide) keyFilter(_ context.Context, keys [][]any) (string, error) {
	keyCols := f.c.fo.keyCols
	return keyFilter(keys, func(i int, v any) (string, bool) {
		return f.actual(keyCols[i]) + " eq " + literal(f.names[keyCols[i]].Type, v), true
	}), nil
}

// body names the fields as the metadata does. F&O has no nulls for most
// types: a missing value is not written.
func (f *foSide) body(values map[string]any) providers.Row {
	row := providers.Row{}
	for k, x := range values {
		if x != nil {
			row[f.actual(strings.ToUpper(k))] = x
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
	up := valueRow{}
	for k, x := range want {
		up[strings.ToUpper(k)] = x
	}
	return providers.Write{Kind: providers.Upsert, Key: f.key(up), Row: f.body(want)}, nil
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

// enumRow is an F&O row that knows its enum fields' values, for filters
// that compare an enum field with an integer.
type enumRow struct {
	row   valueRow
	names map[string]providers.Column
}

func (e enumRow) Value(column string) (any, bool) { return e.row.Value(column) }

func (e enumRow) EnumValue(column, name string) (int64, bool) {
	for _, o := range e.names[strings.ToUpper(column)].Options {
		if strings.EqualFold(o.Label, name) {
			return o.Value, true
		}
	}
	return 0, false
}
