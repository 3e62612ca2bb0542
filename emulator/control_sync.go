package emulator

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/filter"
	"github.com/dwctl/dwctl/mapping"
)

// syncRun is one initial sync of a map for one company: the two tables, the compiled map, the
// integration key and the counts.
type syncRun struct {
	c        *controlPlane
	fo, dv   *store.Table
	m        *mapping.Compiled
	key      []string
	company  string       // F&O code ("" for a global map)
	dvCompID string       // the cdm_company id of the company
	master   mapping.Side // the side whose values win where both have a row
	exec     ctlExecution
}

// initialSync copies rows between F&O and Dataverse through the map for each company, master side
// winning where both have a row [D], and records the results per company under the map's project.
func (c *controlPlane) initialSync(ctx context.Context, st *ctlState, m *ctlMap, companies []string, masterSide, reqID string) error {
	def := m.active().Def
	fo, ok1 := c.e.store.TableBySet(store.FinOps, def.FinOps)
	dv, ok2 := c.e.store.TableBySet(store.Dataverse, def.Dataverse)
	if !ok1 || !ok2 {
		return nil
	}
	mm := mapping.Map{FinOpsFilter: def.FinOpsFilter, DataverseFilter: def.DataverseFilter}
	for _, f := range def.Fields {
		mm.Fields = append(mm.Fields, mapping.Field{FinOps: f.FinOps, Dataverse: f.Dataverse, Direction: mapping.Direction(f.Direction), ValueMap: f.ValueMap, Default: f.Default})
	}
	master := mapping.Dataverse
	if masterSide == "AX" {
		master = mapping.FinOps
	}
	companySpecific := fo.CompanyColumn != "" && dv.CompanyColumn != ""
	if companySpecific {
		mm.FinOpsCompany, mm.DataverseCompany = fo.CompanyColumn, dv.CompanyColumn+".cdm_companycode"
	}
	compiled, err := mapping.Compile(mm)
	if err != nil {
		return err
	}
	runs := companies
	if !companySpecific {
		runs = []string{""}
	}
	var execs []ctlExecution
	for _, code := range runs {
		r := &syncRun{c: c, fo: fo, dv: dv, m: compiled, key: st.Link.Keys[dv.Name], company: code, master: master}
		r.exec = ctlExecution{Company: code, RequestID: reqID}
		if code != "" {
			r.exec.Name, r.dvCompID, _ = c.companyNames(ctx, code)
		}
		if err := r.run(ctx); err != nil {
			return err
		}
		r.exec.Status = "Completed"
		if r.exec.Errors > 0 {
			r.exec.Status = "CompletedWithErrors"
		}
		execs = append(execs, r.exec)
	}
	st.Executions[m.PID] = mergeExecutions(st.Executions[m.PID], execs)
	return nil
}

// maxExecutions bounds the run history kept per project.
const maxExecutions = 200

// mergeExecutions puts a run's results (one per company) before the older runs: the answer lists
// the newest run first and keeps the history [O: DWMapEngine.cs:1127-1128].
func mergeExecutions(old, runs []ctlExecution) []ctlExecution {
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].Company < runs[j].Company })
	out := append(append([]ctlExecution(nil), runs...), old...)
	if len(out) > maxExecutions {
		out = out[:maxExecutions]
	}
	return out
}

// run reads both sides, then writes each leg from the snapshot.
func (r *syncRun) run(ctx context.Context) error {
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

func (r *syncRun) finOpsRows(ctx context.Context) ([]*sideRow, map[string]*sideRow, error) {
	var rows []*sideRow
	byKey := map[string]*sideRow{}
	numeric := enumNumericColumns(r.m.Map().FinOpsFilter)
	err := r.c.e.store.Scan(ctx, store.FinOps, r.fo.Name, "", func(row store.Row) (bool, error) {
		if r.company != "" && !strings.EqualFold(wire.AnyString(row.Data["dataAreaId"]), r.company) {
			return true, nil
		}
		src := filter.MapRow(row.Data)
		if ok, err := r.m.FinOpsSelected(finOpsFilterRow(r.fo, numeric, row.Data)); err != nil || !ok {
			return true, nil
		}
		sr := &sideRow{row: row}
		sr.out, sr.err = r.m.ToDataverse(src)
		if sr.err == nil {
			sr.key = mapping.KeyOf(r.key, filter.MapRow(sr.out))
			byKey[sr.key] = sr
		}
		rows = append(rows, sr)
		return true, nil
	})
	return rows, byKey, err
}

func (r *syncRun) dataverseRows(ctx context.Context) ([]*sideRow, map[string]*sideRow, error) {
	var rows []*sideRow
	byKey := map[string]*sideRow{}
	err := r.c.e.store.Scan(ctx, store.Dataverse, r.dv.Name, "", func(row store.Row) (bool, error) {
		if r.company != "" && !strings.EqualFold(wire.AnyString(row.Data[store.LookupValueName(r.dv.CompanyColumn)]), r.dvCompID) {
			return true, nil
		}
		src := &dvRow{ctx: ctx, c: r.c, t: r.dv, data: row.Data}
		if ok, err := r.m.DataverseSelected(src); err != nil || !ok {
			return true, nil
		}
		sr := &sideRow{row: row, key: mapping.KeyOf(r.key, src)}
		sr.out, sr.err = r.m.ToFinOps(src)
		byKey[sr.key] = sr
		rows = append(rows, sr)
		return true, nil
	})
	return rows, byKey, err
}

// dvRow reads a Dataverse row for filters and mappings, resolving lookup paths (a.b).
type dvRow struct {
	ctx  context.Context
	c    *controlPlane
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
		tt, ok := d.c.e.store.Table(store.Dataverse, tc.table)
		if !ok || id == "" {
			continue
		}
		if row, found, err := d.c.e.store.Get(d.ctx, store.Dataverse, tt.Name, id); err == nil && found {
			return (&dvRow{ctx: d.ctx, c: d.c, t: tt, data: row.Data}).Value(tc.column)
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
func (r *syncRun) overLimits(foRows, dvRows int) string {
	limit := int(r.c.maxRows.Load())
	if n := max(foRows, dvRows); n > limit {
		return fmt.Sprintf("Initial sync of %d rows for legal entity %s exceeds the limit of %d rows per legal entity and run. "+
			"Migrate both sides separately and start the map with initial sync skipped.", n, r.company, limit)
	}
	return ""
}

// tooManyLookups is the failure of the Dataverse leg of a map with too many lookups [D].
func (r *syncRun) tooManyLookups(dvRows int) string {
	n := 0
	for _, f := range r.m.Map().Fields {
		if (f.Direction == mapping.ToFinOps || f.Direction == mapping.Both) && strings.Contains(f.Dataverse, ".") && !r.c.isCompanyPath(r.dv, f.Dataverse) {
			n++
		}
	}
	if dvRows == 0 || n < int(r.c.maxLookups.Load()) {
		return ""
	}
	host := strings.TrimPrefix(r.c.e.info.DataverseURL, "https://")
	return fmt.Sprintf("5 Attempts to get data from https://%s/apim/commondataservice/%s Failed (the map has %d lookups; "+
		"an initial sync from Dataverse supports fewer than %d).", host, r.dv.EntitySet, n, r.c.maxLookups.Load())
}
