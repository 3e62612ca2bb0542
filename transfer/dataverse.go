package transfer

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/providers"
)

// dvSide is the Dataverse side of a copy: plain columns and lookups read
// as their _x_value ids and resolved to the paths the map names, the
// Dataverse filter sent to the service, rows ordered by id.
type dvSide struct {
	c       *Copier
	meta    providers.Table
	keyCols []string
	sel     []string
	paths   map[string]bool
}

// dataverseSide builds the Dataverse side of a copy.
func (c *Copier) dataverseSide(keyCols []string) *side {
	meta := c.spec.DataverseTable
	d := &dvSide{c: c, meta: meta, keyCols: keyCols, paths: map[string]bool{}}
	d.add(meta.PrimaryID)
	for _, f := range c.spec.Map.Fields {
		d.add(strings.ToLower(f.Dataverse))
	}
	for _, k := range keyCols {
		d.add(k)
	}
	if c.company {
		d.add(CompanyPath)
	}
	return &side{name: "dataverse", set: meta.EntitySetName, rs: c.spec.Dataverse, receives: c.receives("dataverse"), keyCols: keyCols,
		companyCol: CompanyPath, query: d.query, resolve: d.resolve, selected: func(valueRow) (bool, error) { return true, nil },
		transform: d.transform, mandatory: func(map[string]any, valueRow) error { return nil },
		keyFilter: d.keyFilter, create: d.create, update: d.update}
}

// add selects a column, or the id column of a lookup path.
func (d *dvSide) add(col string) {
	if col == "" {
		return
	}
	if nav, _, ok := strings.Cut(col, "."); ok {
		d.paths[col] = true
		col = "_" + nav + "_value"
	}
	if !slices.Contains(d.sel, col) {
		d.sel = append(d.sel, col)
	}
}

func (d *dvSide) query(page int) providers.Query {
	return providers.Query{Select: d.sel, Filter: and(d.c.spec.Map.DataverseFilter, d.c.dvCompanies), OrderBy: []string{d.meta.PrimaryID}, PageSize: page}
}

// resolve keys a row by lower-case column and adds its lookup paths.
func (d *dvSide) resolve(ctx context.Context, r providers.Row) (valueRow, error) {
	v := valueRow{}
	for k, x := range r {
		v[strings.ToLower(k)] = x
	}
	for p := range d.paths {
		nav, col, _ := strings.Cut(p, ".")
		id, _ := r["_"+nav+"_value"].(string)
		x, err := d.c.look.value(ctx, nav, col, providers.GUID(id))
		if err != nil {
			return nil, err
		}
		v[p] = x
	}
	if d.c.company && v[CompanyPath] == nil {
		id, _ := r[d.meta.PrimaryID].(string)
		if code, ok := d.c.spec.Bootstrapped[strings.ToLower(id)]; ok {
			v[CompanyPath] = code
		}
	}
	return v, nil
}

// transform turns an F&O row into typed Dataverse values.
func (d *dvSide) transform(v valueRow) (map[string]any, error) {
	out, err := d.c.cm.ToDataverse(v)
	if err != nil {
		return nil, err
	}
	typed := make(map[string]any, len(out))
	for k, x := range out {
		k = strings.ToLower(k)
		col, _ := d.meta.Column(k)
		typed[k] = dataverseValue(col, x)
	}
	return typed, nil
}

// keyFilter selects the rows with the given keys; a key whose lookup
// target does not exist cannot match and is left out.
func (d *dvSide) keyFilter(ctx context.Context, keys [][]any) (string, error) {
	var ferr error
	f := keyFilter(keys, func(i int, v any) (string, bool) {
		nav, col, ok := strings.Cut(d.keyCols[i], ".")
		if !ok {
			c, _ := d.meta.Column(d.keyCols[i])
			return d.keyCols[i] + " eq " + literal(c.Type, v), true
		}
		id, found, err := d.c.look.id(ctx, nav, col, v)
		if err != nil {
			ferr = err
		}
		return "_" + nav + "_value eq " + string(id), found
	})
	return f, ferr
}

// body turns values into a request body, lookup paths into binds.
func (d *dvSide) body(ctx context.Context, values map[string]any) (providers.Row, error) {
	row := providers.Row{}
	for k, x := range values {
		nav, col, ok := strings.Cut(k, ".")
		if !ok {
			row[k] = x
			continue
		}
		bind, err := d.c.look.bind(ctx, nav, col, x)
		if err != nil {
			return nil, err
		}
		row[nav+"@odata.bind"] = bind
	}
	return row, nil
}

// create upserts a new row by its alternate key (the integration key).
func (d *dvSide) create(ctx context.Context, want map[string]any) (providers.Write, error) {
	row, err := d.body(ctx, withoutNils(want))
	if err != nil {
		return providers.Write{}, err
	}
	var key providers.Key
	for _, k := range d.keyCols {
		nav, col, ok := strings.Cut(k, ".")
		if !ok {
			key = append(key, providers.KeyPart{Name: k, Value: mapping.Text(want[k])})
			continue
		}
		id, _, err := d.c.look.id(ctx, nav, col, want[k])
		if err != nil {
			return providers.Write{}, err
		}
		key = append(key, providers.KeyPart{Name: "_" + nav + "_value", Value: id})
	}
	return providers.Write{Kind: providers.Upsert, Key: key, Row: row}, nil
}

// update writes the changed columns of an existing row by its id.
func (d *dvSide) update(ctx context.Context, have valueRow, changed map[string]any) (providers.Write, error) {
	row, err := d.body(ctx, changed)
	id, _ := have[strings.ToLower(d.meta.PrimaryID)].(string)
	return providers.Write{Kind: providers.Update, Key: providers.Key{{Value: providers.GUID(id)}}, Row: row}, err
}

// dataverseValue converts a mapped value to the column's type: integers
// for choices and whole numbers, decimals, booleans and text.
func dataverseValue(col providers.Column, v any) any {
	if v == nil {
		return nil
	}
	t := mapping.Text(v)
	switch col.Type {
	case "Integer", "Picklist", "State", "Status", "BigInt":
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			return n
		}
	case "Decimal", "Double", "Money":
		if _, err := strconv.ParseFloat(t, 64); err == nil {
			return json.Number(t)
		}
	case "Boolean":
		switch strings.ToLower(t) {
		case "true", "yes", "1":
			return true
		case "false", "no", "0":
			return false
		}
	case "String", "Memo":
		return t
	}
	return v
}

// lookups resolves Dataverse lookups between row ids and the key column a
// map names (msdyn_customergroupid.msdyn_groupid), reading each target
// table's ids and key values once.
type lookups struct {
	mu     sync.Mutex // guards the maps; held while a table loads
	dv     providers.Dataverse
	meta   providers.Table
	assume func(table, column string, value any) bool
	byID   map[string]map[providers.GUID]any
	byVal  map[string]map[string]providers.GUID
	sets   map[string]string
	tables map[string]string // logical names, by nav.col
}

func newLookups(dv providers.Dataverse, meta providers.Table, assume func(string, string, any) bool) *lookups {
	return &lookups{dv: dv, meta: meta, assume: assume, byID: map[string]map[providers.GUID]any{},
		byVal: map[string]map[string]providers.GUID{}, sets: map[string]string{}, tables: map[string]string{}}
}

// load reads the ids and values of column col of the table nav points at;
// the caller holds l.mu.
func (l *lookups) load(ctx context.Context, nav, col string) (string, error) {
	k := nav + "." + col
	if _, ok := l.byID[k]; ok {
		return k, nil
	}
	target := "cdm_company"
	if c, ok := l.meta.Column(nav); ok && len(c.Targets) > 0 {
		target = c.Targets[0]
	} else if nav != companyLookup {
		return "", fmt.Errorf("%s is not a lookup column of %s", nav, l.meta.LogicalName)
	}
	tables, err := l.dv.Tables(ctx, []string{target})
	if err != nil {
		return "", err
	}
	if len(tables) != 1 {
		return "", fmt.Errorf("no metadata for Dataverse table %s", target)
	}
	t := tables[0]
	byID, byVal := map[providers.GUID]any{}, map[string]providers.GUID{}
	err = l.dv.ListRows(ctx, t.EntitySetName, providers.Query{Select: []string{t.PrimaryID, col}}, func(rows []providers.Row) error {
		for _, r := range rows {
			id, _ := r[t.PrimaryID].(string)
			byID[providers.GUID(id)] = r[col]
			byVal[strings.ToUpper(mapping.Text(r[col]))] = providers.GUID(id)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	l.byID[k], l.byVal[k], l.sets[k], l.tables[k] = byID, byVal, t.EntitySetName, t.LogicalName
	return k, nil
}

// value returns the key value of the row id points at (nil for no id).
func (l *lookups) value(ctx context.Context, nav, col string, id providers.GUID) (any, error) {
	if id == "" {
		return nil, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	k, err := l.load(ctx, nav, col)
	if err != nil {
		return nil, err
	}
	return l.byID[k][id], nil
}

// id returns the id of the row whose key value is v.
func (l *lookups) id(ctx context.Context, nav, col string, v any) (providers.GUID, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k, err := l.load(ctx, nav, col)
	if err != nil {
		return "", false, err
	}
	id, ok := l.byVal[k][strings.ToUpper(mapping.Text(v))]
	return id, ok, nil
}

// bind returns the @odata.bind value that points the lookup at the row
// whose key value is v; a row that does not exist (and that a preview is
// not told to assume) fails the row.
func (l *lookups) bind(ctx context.Context, nav, col string, v any) (any, error) {
	if v == nil || mapping.Text(v) == "" {
		return nil, nil
	}
	id, ok, err := l.id(ctx, nav, col, v)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	k := nav + "." + col
	if !ok {
		if l.assume != nil && l.assume(l.tables[k], col, v) {
			return "/" + l.sets[k] + "(assumed)", nil
		}
		return nil, rowFailure{reason: fmt.Sprintf("%s: no %s row has %s = %q", nav, l.tables[k], col, mapping.Text(v))}
	}
	return "/" + l.sets[k] + "(" + string(id) + ")", nil
}
