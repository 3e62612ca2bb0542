package live

import (
	"context"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/transfer"
)

// transferPreviews previews initial syncs exactly: package transfer runs
// each copy without writing, with the engine a dwctl-mode sync runs. For a
// service sync the preview tells which of the rows the service writes are
// new, which change a row and which leave it as it is. The
// previews run one after another, each map after the maps it depends on,
// so that a lookup may point at a row an earlier copy creates; a lookup
// into a table that a service initial sync of the plan fills, and into
// cdm_company for the link's companies (the plan creates them first), is
// taken to resolve.
func (r *reader) transferPreviews(ctx context.Context, maps, service []*config.TableMap, tables map[string]mapTables) error {
	if len(maps) == 0 {
		return nil
	}
	keys := map[string][]string{}
	for _, k := range r.cfg.IntegrationKeys {
		if k.Link == r.link {
			keys[strings.ToLower(k.Table)] = k.Columns
		}
	}
	var companies []string
	for _, c := range r.cfg.Companies {
		if c.Link == r.link {
			companies = append(companies, strings.ToUpper(c.ID))
		}
	}
	fed := map[string]bool{} // Dataverse tables a service initial sync fills, by logical name
	for _, m := range service {
		if t, ok := tables[m.Address]; ok {
			fed[strings.ToLower(t.dv.LogicalName)] = true
		}
	}
	created := newCreated()
	for _, c := range companies {
		created.add("cdm_company", map[string]any{"cdm_companycode": c})
	}
	assume := func(table, column string, v any) bool {
		return created.has(table, column, v) || fed[strings.ToLower(table)]
	}
	for _, m := range dependencyOrder(maps) {
		t, ok := tables[m.Address]
		if !ok {
			continue
		}
		spec := transfer.Spec{FinOps: r.p.FinOps, Dataverse: r.p.Dataverse, Map: planner.MapOf(r.cfg, m).Mapping(),
			FinOpsTable: t.fo, DataverseTable: t.dv, Key: keys[strings.ToLower(t.dv.LogicalName)],
			Master: masterOf(m), Companies: companies, Bootstrapped: r.bootstrapped[strings.ToLower(t.dv.LogicalName)]}
		if len(spec.Key) == 0 {
			continue // validate names the missing integration key
		}
		dvTable := strings.ToLower(t.dv.LogicalName)
		c, err := transfer.New(spec, transfer.Options{Assume: assume, Examples: r.opts.ShowRows,
			Created: func(side string, values map[string]any) {
				if side == "dataverse" {
					created.add(dvTable, values)
				}
			}})
		if err != nil {
			return wrap("preview the initial sync of "+m.Address, err)
		}
		if err := c.Run(ctx, transfer.Cursor{Phase: "A"}); err != nil {
			return wrap("preview the initial sync of "+m.Address, err)
		}
		r.recordTransfer(m, c.Tally())
	}
	return nil
}

// recordTransfer keeps a preview in the snapshot.
func (r *reader) recordTransfer(m *config.TableMap, t *transfer.Tally) {
	p := &planner.Transfer{Companies: t.ByCompany()}
	for _, e := range t.Errors {
		p.Errors = append(p.Errors, e.String())
	}
	for _, rc := range t.Rows {
		c := planner.RowChange{Company: rc.Company, Side: rc.Side, Kind: rc.Kind, Key: rc.Key}
		for _, f := range rc.Fields {
			c.Fields = append(c.Fields, planner.FieldChange{Name: f.Name, Before: f.Before, After: f.After})
		}
		p.Rows = append(p.Rows, c)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.out.Transfers == nil {
		r.out.Transfers = map[string]*planner.Transfer{}
	}
	r.out.Transfers[m.Address] = p
}

func masterOf(m *config.TableMap) string {
	if m.InitialSync != nil && m.InitialSync.Master != "" {
		return m.InitialSync.Master
	}
	return "dataverse"
}

// dependencyOrder orders maps so that each comes after the maps of the
// list it depends on (directly or not); the rest keep their order.
func dependencyOrder(maps []*config.TableMap) []*config.TableMap {
	in := map[string]*config.TableMap{}
	for _, m := range maps {
		in[m.Address] = m
	}
	var out []*config.TableMap
	done := map[string]bool{}
	var visit func(m *config.TableMap)
	visit = func(m *config.TableMap) {
		if done[m.Address] {
			return
		}
		done[m.Address] = true // config refuses cycles; this only stops a walk
		for _, d := range m.DependsOn {
			if dm, ok := in[d]; ok {
				visit(dm)
			}
		}
		out = append(out, m)
	}
	for _, m := range maps {
		visit(m)
	}
	return out
}

// created remembers the Dataverse rows earlier previews create, by table
// and column, their values as keys compare them.
type created map[string]map[string]bool

func newCreated() created { return created{} }

func (c created) add(table string, values map[string]any) {
	for col, v := range values {
		k := strings.ToLower(table) + "." + strings.ToLower(col)
		if c[k] == nil {
			c[k] = map[string]bool{}
		}
		c[k][strings.ToUpper(mapping.Text(v))] = true
	}
}

func (c created) has(table, column string, v any) bool {
	return c[strings.ToLower(table)+"."+strings.ToLower(column)][strings.ToUpper(mapping.Text(v))]
}
