package copier

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/dataverse"
	"github.com/dwctl/dwctl/emulator/finops"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/filter"
	"github.com/dwctl/dwctl/mapping"
)

// Sides are what a copy reads and writes: the pair's store and its two services.
type Sides struct {
	Store        *store.Store
	Dataverse    *dataverse.Service
	FinOps       *finops.Service
	Clock        func() time.Time
	DataverseURL string // named in messages
}

// Run is one copy of a map for one company: the two tables, the compiled map, the integration key
// and the result. Initial syncs run it whole (Copy); live sync uses its row writers.
type Run struct {
	Sides
	FO, DV      *store.Table
	Map         *mapping.Compiled
	Key         []string     // the integration key of the Dataverse table
	Company     string       // F&O code ("" for a global map)
	DVCompanyID string       // the cdm_company id of the company
	Master      mapping.Side // the side whose values win where both have a row
	Result      Result

	// MaxRows is the initial-sync limit of rows per company and run; MaxLookups the number of lookups
	// from which a map cannot be synced from Dataverse [D].
	MaxRows, MaxLookups int
}

// Result is what a run did, in the shape the control plane keeps per company.
type Result struct {
	Company  string     `json:"company"`
	Name     string     `json:"name"`
	Status   string     `json:"status"`
	Upserts  int        `json:"upserts"`
	Errors   int        `json:"errors"`
	Exported int        `json:"exported"`
	Inserted int        `json:"inserted"`
	Updated  int        `json:"updated"`
	First    []RowError `json:"first,omitempty"`
}

// RowError is one row's error; a result keeps the first five.
type RowError struct {
	RecordID string `json:"record_id"`
	Field    string `json:"field"`
	Message  string `json:"message"`
}

// isCompanyPath reports whether the Dataverse path f goes through the company lookup of t.
func isCompanyPath(t *store.Table, f string) bool {
	head, _, _ := strings.Cut(f, ".")
	return t.CompanyColumn != "" && strings.EqualFold(head, t.CompanyColumn)
}

// Copy reads both sides, then writes each leg from the snapshot.
func (r *Run) Copy(ctx context.Context) error {
	foRows, foByKey, err := r.finOpsRows(ctx)
	if err != nil {
		return err
	}
	dvRows, dvByKey, err := r.dataverseRows(ctx)
	if err != nil {
		return err
	}
	if msg := r.overLimits(len(foRows), len(dvRows)); msg != "" {
		r.fail("", "", msg)
		return nil
	}
	for _, fr := range foRows {
		if err := r.toDataverse(ctx, fr, dvByKey[fr.key]); err != nil {
			return err
		}
	}
	if msg := r.tooManyLookups(len(dvRows)); msg != "" {
		r.fail("", "", msg)
		return nil
	}
	for _, dr := range dvRows {
		if err := r.toFinOps(ctx, dr, foByKey[dr.key]); err != nil {
			return err
		}
	}
	return nil
}

// sideRow is a selected source row with its integration-key value and its transformed columns.
type sideRow struct {
	row store.Row
	key string
	out map[string]any
	err error
}

func (r *Run) finOpsRows(ctx context.Context) ([]*sideRow, map[string]*sideRow, error) {
	var rows []*sideRow
	byKey := map[string]*sideRow{}
	numeric := EnumNumericColumns(r.Map.Map().FinOpsFilter)
	err := r.Store.Scan(ctx, store.FinOps, r.FO.Name, "", func(row store.Row) (bool, error) {
		if r.Company != "" && !strings.EqualFold(wire.AnyString(row.Data["dataAreaId"]), r.Company) {
			return true, nil
		}
		src := filter.MapRow(row.Data)
		if ok, err := r.Map.FinOpsSelected(FinOpsFilterRow(r.FO, numeric, row.Data)); err != nil || !ok {
			return true, nil
		}
		sr := &sideRow{row: row}
		sr.out, sr.err = r.Map.ToDataverse(src)
		if sr.err == nil {
			sr.key = mapping.KeyOf(r.Key, filter.MapRow(sr.out))
			byKey[sr.key] = sr
		}
		rows = append(rows, sr)
		return true, nil
	})
	return rows, byKey, err
}

func (r *Run) dataverseRows(ctx context.Context) ([]*sideRow, map[string]*sideRow, error) {
	var rows []*sideRow
	byKey := map[string]*sideRow{}
	err := r.Store.Scan(ctx, store.Dataverse, r.DV.Name, "", func(row store.Row) (bool, error) {
		if r.Company != "" && !strings.EqualFold(wire.AnyString(row.Data[store.LookupValueName(r.DV.CompanyColumn)]), r.DVCompanyID) {
			return true, nil
		}
		src := &dvRow{ctx: ctx, st: r.Store, t: r.DV, data: row.Data}
		if ok, err := r.Map.DataverseSelected(src); err != nil || !ok {
			return true, nil
		}
		sr := &sideRow{row: row, key: mapping.KeyOf(r.Key, src)}
		sr.out, sr.err = r.Map.ToFinOps(src)
		byKey[sr.key] = sr
		rows = append(rows, sr)
		return true, nil
	})
	return rows, byKey, err
}

// dvRow reads a Dataverse row for filters and mappings, resolving lookup paths (a.b).
type dvRow struct {
	ctx  context.Context
	st   *store.Store
	t    *store.Table
	data map[string]any
}

// Value implements filter.Row.
func (d *dvRow) Value(name string) (any, bool) {
	head, rest, path := strings.Cut(name, ".")
	if !path {
		v, ok := filter.MapRow(d.data).Value(name)
		return v, ok
	}
	col, ok := d.t.Column(head)
	if !ok || !store.IsLookup(col.Type) || len(col.Targets) == 0 {
		return nil, false
	}
	id := wire.AnyString(d.data[store.LookupValueName(col.Name)])
	for _, tc := range lookupTargets(col, rest) {
		tt, ok := d.st.Table(store.Dataverse, tc.table)
		if !ok || id == "" {
			continue
		}
		if row, found, err := d.st.Get(d.ctx, store.Dataverse, tt.Name, id); err == nil && found {
			return (&dvRow{ctx: d.ctx, st: d.st, t: tt, data: row.Data}).Value(tc.column)
		}
	}
	return nil, true
}

// targetColumn is a table a lookup may point to and the column of it a lookup path reads.
type targetColumn struct{ table, column string }

// lookupTargets reads the part of a lookup path after the lookup: "column" of every target, or,
// for a polymorphic lookup, "Account(accountnumber).Contact(msdyn_contactpersonid)" — a column per
// target table, tried in order [O: the form of the published sales maps].
func lookupTargets(col *store.Column, rest string) []targetColumn {
	if !strings.Contains(rest, "(") {
		out := make([]targetColumn, 0, len(col.Targets))
		for _, t := range col.Targets {
			out = append(out, targetColumn{table: t, column: rest})
		}
		return out
	}
	var out []targetColumn
	for _, part := range strings.Split(rest, ").") {
		table, column, ok := strings.Cut(strings.TrimSuffix(part, ")"), "(")
		if ok && wire.ContainsFold(col.Targets, table) {
			out = append(out, targetColumn{table: strings.ToLower(table), column: column})
		}
	}
	return out
}

// overLimits is the refusal of a run above the rows-per-company limit [D].
func (r *Run) overLimits(foRows, dvRows int) string {
	limit := r.MaxRows
	if n := max(foRows, dvRows); n > limit {
		return fmt.Sprintf("Initial sync of %d rows for legal entity %s exceeds the limit of %d rows per legal entity and run. "+
			"Migrate both sides separately and start the map with initial sync skipped.", n, r.Company, limit)
	}
	return ""
}

// tooManyLookups is the failure of the Dataverse leg of a map with too many lookups [D].
func (r *Run) tooManyLookups(dvRows int) string {
	n := 0
	for _, f := range r.Map.Map().Fields {
		if (f.Direction == mapping.ToFinOps || f.Direction == mapping.Both) && strings.Contains(f.Dataverse, ".") && !isCompanyPath(r.DV, f.Dataverse) {
			n++
		}
	}
	if dvRows == 0 || n < r.MaxLookups {
		return ""
	}
	host := strings.TrimPrefix(r.DataverseURL, "https://")
	return fmt.Sprintf("5 Attempts to get data from https://%s/apim/commondataservice/%s Failed (the map has %d lookups; "+
		"an initial sync from Dataverse supports fewer than %d).", host, r.DV.EntitySet, n, r.MaxLookups)
}

// DataverseRow is the Dataverse row data of table t as a filter or a mapping reads it: lookup paths
// (lookup.column) are followed in st.
func DataverseRow(ctx context.Context, st *store.Store, t *store.Table, data map[string]any) filter.Row {
	return &dvRow{ctx: ctx, st: st, t: t, data: data}
}
