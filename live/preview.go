package live

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/filter"
	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/transfer"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/sync/errgroup"
)

// servicePreviews runs servicePreview for each map whose two tables
// exist; validate -live names the others, whose sizes stay unknown.
func (r *reader) servicePreviews(ctx context.Context, g *errgroup.Group, maps []*config.TableMap, tables map[string]mapTables) error {
	for _, m := range maps {
		if t, ok := tables[m.Address]; ok {
			g.Go(func() error { return r.servicePreview(ctx, m, t.fo, t.dv) })
		}
	}
	return nil
}

// mapTables are the metadata of a map's two tables.
type mapTables struct{ fo, dv providers.Table }

// previewTables reads the metadata of the maps' tables in bulk (one read
// per side, the Dataverse tables no live map names found by name guesses),
// by map address; a map one of whose tables does not exist is left out.
func (r *reader) previewTables(ctx context.Context, maps []*config.TableMap) (map[string]mapTables, error) {
	out := map[string]mapTables{}
	if len(maps) == 0 {
		return out, nil
	}
	var foNames, sets []string
	for _, m := range maps {
		foNames, sets = append(foNames, m.FinOps), append(sets, m.Dataverse)
	}
	fo, err := r.finOpsTables(ctx, dedupe(foNames))
	if err != nil {
		return nil, wrap("read F&O metadata for the initial-sync previews", err)
	}
	dv, err := tablesEach(ctx, r.p.Dataverse, dedupe(logicalNames(r.out, sets)))
	if err != nil {
		return nil, wrap("read Dataverse metadata for the initial-sync previews", err)
	}
	foBySet, dvBySet := map[string]providers.Table{}, map[string]providers.Table{}
	for _, t := range fo {
		foBySet[strings.ToLower(t.EntitySetName)] = t
	}
	for _, t := range dv {
		dvBySet[strings.ToLower(t.EntitySetName)] = t
	}
	for _, m := range maps {
		f, ok := foBySet[strings.ToLower(m.FinOps)]
		if !ok {
			continue
		}
		d, ok := dvBySet[strings.ToLower(m.Dataverse)]
		if !ok {
			t, err := r.dataverseBySet(ctx, m.Dataverse)
			if err != nil {
				return nil, err
			}
			if t == nil {
				continue
			}
			d = *t
			dvBySet[strings.ToLower(m.Dataverse)] = d
		}
		out[m.Address] = mapTables{fo: f, dv: d}
	}
	return out, nil
}

// servicePreview counts what the service's initial sync of m exports, the
// way the service runs it [D]: once per linked company for a map that is
// company-specific on both sides (once for a global map), every row of the
// company that passes the side's filter, in each direction. The counts go
// to RowCounts: the totals under CountKey(side, table) and each company's
// under CountKey(side, table, company), "(global)" for a global map.
func (r *reader) servicePreview(ctx context.Context, m *config.TableMap, fo, dv providers.Table) error {
	cm, err := mapping.Compile(mapping.Map{FinOpsFilter: filterText(m.Filter, true), DataverseFilter: filterText(m.Filter, false)})
	if err != nil {
		return fmt.Errorf("%s: %w", m.Address, err)
	}
	dvCompany := dv.CompanyLookup()
	company := fo.CompanySpecific() && dvCompany != ""
	linked := map[string]bool{}
	for _, c := range r.cfg.Companies {
		if c.Link == r.link {
			linked[strings.ToUpper(c.ID)] = true
		}
	}
	foCounts, err := r.finOpsSelected(ctx, m, fo, cm, company, linked)
	if err != nil {
		return err
	}
	dvCounts, errs, err := r.dataverseSelected(ctx, m, dv, dvCompany, company, linked, mandatoryFromDataverse(m, fo))
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if errs != nil {
		if r.out.SyncErrors == nil {
			r.out.SyncErrors = map[string]*planner.SyncErrors{}
		}
		r.out.SyncErrors[m.Address] = errs
	}
	var foTotal, dvTotal int64
	for code := range linked {
		if !company {
			break
		}
		foTotal += foCounts[code]
		dvTotal += dvCounts[code]
		r.out.RowCounts[planner.CountKey("finops", m.FinOps, code)] = foCounts[code]
		r.out.RowCounts[planner.CountKey("dataverse", strings.ToLower(m.Dataverse), code)] = dvCounts[code]
	}
	if !company {
		foTotal, dvTotal = foCounts[""], dvCounts[""]
		if strings.EqualFold(dv.LogicalName, "cdm_company") {
			// The plan's company actions create the Dataverse company of
			// every company the link lacks before any sync runs.
			dvTotal += r.companiesToCreate()
		}
		r.out.RowCounts[planner.CountKey("finops", m.FinOps, planner.GlobalCompany)] = foTotal
		r.out.RowCounts[planner.CountKey("dataverse", strings.ToLower(m.Dataverse), planner.GlobalCompany)] = dvTotal
	}
	r.out.RowCounts[planner.CountKey("finops", m.FinOps)] = foTotal
	r.out.RowCounts[planner.CountKey("dataverse", strings.ToLower(m.Dataverse))] = dvTotal
	return nil
}

// companiesToCreate counts the companies of the link that Dataverse does
// not have yet.
func (r *reader) companiesToCreate() int64 {
	have := map[string]bool{}
	for _, c := range r.out.Companies {
		have[strings.ToUpper(c.Code)] = true
	}
	n := int64(0)
	for _, c := range r.cfg.Companies {
		if c.Link == r.link && !have[strings.ToUpper(c.ID)] {
			n++
		}
	}
	return n
}

// finOpsSelected counts the F&O rows the map's filter selects, by company
// (upper case; "" for a global map), reading only the fields the filter
// names.
func (r *reader) finOpsSelected(ctx context.Context, m *config.TableMap, t providers.Table, cm *mapping.Compiled,
	company bool, linked map[string]bool) (map[string]int64, error) {
	sel := []string{}
	if company {
		sel = append(sel, actualName(t, "dataAreaId"))
	}
	if e, _ := filter.ParseFinOps(cm.Map().FinOpsFilter); e != nil {
		for _, ref := range e.Columns() {
			if n := actualName(t, ref.Name); !slices.Contains(sel, n) {
				sel = append(sel, n)
			}
		}
	}
	if len(sel) == 0 && len(t.Keys) > 0 {
		sel = t.Keys[0].Columns[:1]
	}
	out := map[string]int64{}
	err := r.p.FinOps.ListRows(ctx, m.FinOps, providers.Query{Select: sel, AllCompanies: true}, func(rows []providers.Row) error {
		for _, row := range rows {
			code := ""
			if company {
				if v, ok := filter.MapRow(row).Value("dataAreaId"); ok {
					code = strings.ToUpper(mapping.Text(v))
				}
				if !linked[code] {
					continue
				}
			}
			ok, err := cm.FinOpsSelected(enumRow{row: filter.MapRow(row), t: t})
			if err != nil {
				return fmt.Errorf("%s: the F&O filter: %w", m.Address, err)
			}
			if ok {
				out[code]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("read "+m.FinOps+" for the initial-sync preview of "+m.Address, err)
	}
	return out, nil
}

// dataverseSelected counts the Dataverse rows the map's filter selects
// (the service applies it as $filter), by the company their company lookup
// names (upper-case code; "" for a global map).
func (r *reader) dataverseSelected(ctx context.Context, m *config.TableMap, t providers.Table, dvCompany string,
	company bool, linked map[string]bool, mandatory []mandatoryField) (map[string]int64, *planner.SyncErrors, error) {
	codes := map[string]string{}
	for _, c := range r.out.Companies {
		codes[strings.ToLower(string(c.ID))] = strings.ToUpper(c.Code)
	}
	sel := []string{t.PrimaryID}
	lookup := "_" + dvCompany + "_value"
	if company {
		sel = append(sel, lookup)
	}
	for _, f := range mandatory {
		if !slices.Contains(sel, f.source) {
			sel = append(sel, f.source)
		}
	}
	out := map[string]int64{}
	var errs *planner.SyncErrors
	q := providers.Query{Select: sel, Filter: filterText(m.Filter, false)}
	err := r.p.Dataverse.ListRows(ctx, t.EntitySetName, q, func(rows []providers.Row) error {
		for _, row := range rows {
			code := ""
			if company {
				id, _ := row[lookup].(string)
				code = codes[strings.ToLower(id)]
				if id == "" {
					rowID, _ := row[t.PrimaryID].(string)
					code = r.bootstrapped[strings.ToLower(t.LogicalName)][strings.ToLower(rowID)]
				}
				if code == "" || !linked[code] {
					continue // no company, or one the link does not sync
				}
			}
			if f, bad := firstEmpty(row, mandatory); bad {
				if errs == nil {
					errs = &planner.SyncErrors{Companies: map[string]int64{}}
				}
				key := code
				if !company {
					key = planner.GlobalCompany
				}
				errs.Companies[key]++
				if len(errs.First) < 3 {
					id, _ := row[t.PrimaryID].(string)
					errs.First = append(errs.First, fmt.Sprintf("%s(%s): %s would be empty", t.EntitySetName, id, f.finops))
				}
				continue
			}
			out[code]++
		}
		return nil
	})
	if err != nil {
		return nil, nil, wrap("read "+t.EntitySetName+" for the initial-sync preview of "+m.Address, err)
	}
	return out, errs, nil
}

// mandatoryField is an F&O field a map fills from Dataverse that F&O
// refuses to leave empty.
type mandatoryField struct {
	finops string // the F&O field
	source string // the Dataverse column read: the column, or a lookup's _x_value
}

// mandatoryFromDataverse lists the mandatory F&O fields (and the entity's
// key fields) the map writes from a Dataverse column without a default: a
// row that leaves the column empty fails in F&O ("Field '…' must be filled
// in", or no key to write the row under). A lookup path x.y is
// empty when the lookup is.
func mandatoryFromDataverse(m *config.TableMap, fo providers.Table) []mandatoryField {
	var out []mandatoryField
	for _, f := range m.Fields {
		if f.FinOps == "" || f.Dataverse == "" || (f.Default != cty.NilVal && !f.Default.IsNull()) || f.Direction == config.ToDataverse {
			continue
		}
		col, ok := fo.ColumnFold(f.FinOps)
		if !ok || !transfer.MustBeFilled(col) {
			continue
		}
		src := strings.ToLower(f.Dataverse)
		if nav, _, ok := strings.Cut(src, "."); ok {
			src = "_" + nav + "_value"
		}
		out = append(out, mandatoryField{finops: col.Name, source: src})
	}
	return out
}

// firstEmpty returns the first mandatory field a row leaves empty.
func firstEmpty(row providers.Row, fields []mandatoryField) (mandatoryField, bool) {
	for _, f := range fields {
		if v, ok := row[f.source]; !ok || v == nil || v == "" {
			return f, true
		}
	}
	return mandatoryField{}, false
}

// dataverseBySet finds the metadata of the Dataverse table of an entity
// set: through the live maps that name it, else by the plural forms
// Dataverse makes of logical names. Nil when none is found.
func (r *reader) dataverseBySet(ctx context.Context, set string) (*providers.Table, error) {
	var guesses []string
	for _, m := range r.out.Maps {
		if strings.EqualFold(m.DataverseEntitySet, set) && m.DataverseTable != "" {
			guesses = append(guesses, m.DataverseTable)
		}
	}
	guesses = append(guesses, singulars(strings.ToLower(set))...)
	for _, g := range dedupe(guesses) {
		ts, err := r.p.Dataverse.Tables(ctx, []string{g})
		if providers.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, wrap("read Dataverse metadata", err)
		}
		if len(ts) == 1 && strings.EqualFold(ts[0].EntitySetName, set) {
			return &ts[0], nil
		}
	}
	return nil, nil
}

// actualName is a field's name as the metadata spells it.
func actualName(t providers.Table, name string) string {
	if c, ok := t.ColumnFold(name); ok {
		return c.Name
	}
	return name
}

func filterText(f *config.Filter, finops bool) string {
	if f == nil {
		return ""
	}
	t := f.Dataverse
	if finops {
		t = f.FinOps
	}
	if t == nil {
		return ""
	}
	return t.Value
}

// enumRow is an F&O row that knows its enum fields' values, for filters
// that compare an enum field with an integer.
type enumRow struct {
	row filter.MapRow
	t   providers.Table
}

func (e enumRow) Value(column string) (any, bool) { return e.row.Value(column) }

func (e enumRow) EnumValue(column, name string) (int64, bool) {
	for _, c := range e.t.Columns {
		if !strings.EqualFold(c.Name, column) {
			continue
		}
		for _, o := range c.Options {
			if strings.EqualFold(o.Label, name) {
				return o.Value, true
			}
		}
	}
	return 0, false
}
