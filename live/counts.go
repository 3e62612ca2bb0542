package live

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"golang.org/x/sync/errgroup"
)

// CompanyColumn is the lookup from company-specific Dataverse tables to
// cdm_company that bootstrap fills (msdyn_company on most tables [D]).
const CompanyColumn = "msdyn_company"

// counts reads the row counts of the data operations a plan may contain:
// the company-less rows of every bootstrap table first, then both sides of
// every map that is not running and starts with an initial sync — counting
// the rows a bootstrap gives a company as that company's, since apply
// bootstraps before it syncs.
func (r *reader) counts(ctx context.Context) error {
	bg, bctx := errgroup.WithContext(ctx)
	bg.SetLimit(r.opts.Parallelism)
	if err := r.bootstrapCounts(bctx, bg); err != nil {
		if werr := bg.Wait(); werr != nil {
			return werr
		}
		return err
	}
	if err := bg.Wait(); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opts.Parallelism)
	running := map[string]bool{}
	for _, m := range r.out.Maps {
		if r.out.Copied() {
			break // the link is made again: every map starts anew
		}
		if m.State == providers.StateRunning || m.State == providers.StatePaused {
			running[strings.ToLower(m.DataverseEntitySet)+"|"+strings.ToLower(r.out.FinOpsEntitySets[strings.ToLower(m.FinOpsEntity)])] = true
		}
	}
	var service, copies []*config.TableMap
	for _, addr := range sortedAddrs(r.cfg.TableMaps) {
		m := r.cfg.TableMaps[addr]
		if m.Link != r.link || m.InitialSync == nil || !m.InitialSync.Enabled ||
			(running[strings.ToLower(m.Dataverse)+"|"+strings.ToLower(m.FinOps)] && !r.opts.Resync[addr]) {
			continue
		}
		if m.InitialSync.Mode != "dwctl" {
			service = append(service, m)
			continue
		}
		copies = append(copies, m)
	}
	tables, err := r.previewTables(gctx, append(slices.Clone(service), copies...))
	if err != nil {
		return err
	}
	g.Go(func() error {
		return r.transferPreviews(gctx, append(slices.Clone(copies), service...), service, tables)
	})
	if err := r.servicePreviews(gctx, g, service, tables); err != nil {
		if werr := g.Wait(); werr != nil {
			return werr
		}
		return err
	}
	r.prerequisites(gctx, g, running)
	return g.Wait()
}

// count runs one count into RowCounts under key.
func (r *reader) count(ctx context.Context, g *errgroup.Group, key string, f func(context.Context) (int64, error)) {
	g.Go(func() error {
		n, err := f(ctx)
		if providers.IsNotFound(err) {
			return nil // no such table: validate -live names it; the size stays unknown
		}
		if err != nil {
			return wrap("count "+key, err)
		}
		r.mu.Lock()
		r.out.RowCounts[key] = n
		r.mu.Unlock()
		return nil
	})
}

// bootstrapCounts previews every bootstrap exactly. Per table, the
// companies' bootstraps are read in address order — the order apply runs
// them in when they share a table — each one's company-less rows matching
// its where, by id: a row an earlier bootstrap takes is counted for that
// one only (and as an overlap for the later). With a where, the rows it
// matches that already have another company are counted too: bootstrap
// never changes them.
func (r *reader) bootstrapCounts(ctx context.Context, g *errgroup.Group) error {
	var tables []string
	var companies []*config.Company
	first := map[string]string{} // table (lower case) → the first company bootstrapping it
	for _, addr := range sortedAddrs(r.cfg.Companies) {
		c := r.cfg.Companies[addr]
		if c.Link == r.link && c.Bootstrap != nil {
			companies = append(companies, c)
			tables = append(tables, c.Bootstrap.Tables...)
			for _, t := range c.Bootstrap.Tables {
				if _, ok := first[strings.ToLower(t)]; !ok {
					first[strings.ToLower(t)] = c.Address
				}
			}
		}
	}
	if len(tables) == 0 {
		return nil
	}
	meta, err := r.p.Dataverse.Tables(ctx, dedupe(tables))
	if err != nil {
		return wrap("read bootstrap table metadata", err)
	}
	byName := map[string]providers.Table{}
	for _, t := range meta {
		byName[strings.ToLower(t.LogicalName)] = t
	}
	for _, name := range dedupe(tables) {
		name = strings.ToLower(name)
		t, ok := byName[name]
		if !ok {
			return fmt.Errorf("bootstrap of %s: Dataverse has no table %q", first[name], name)
		}
		g.Go(func() error { return r.bootstrapTable(ctx, t, companies) })
	}
	return nil
}

// bootstrapTable previews the bootstraps of one table.
func (r *reader) bootstrapTable(ctx context.Context, t providers.Table, companies []*config.Company) error {
	ids := map[string]string{}
	for _, c := range r.out.Companies {
		ids[strings.ToUpper(c.Code)] = string(c.ID)
	}
	claimed := map[string]bool{}
	table := strings.ToLower(t.LogicalName)
	claims := map[string]string{} // row id → the company its bootstrap gives it
	for _, c := range companies {
		if !slices.ContainsFunc(c.Bootstrap.Tables, func(s string) bool { return strings.EqualFold(s, table) }) {
			continue
		}
		code := strings.ToUpper(c.ID)
		var mine, overlap int64
		where := c.Bootstrap.WhereOf(table)
		q := providers.Query{Select: []string{t.PrimaryID}, Filter: BootstrapFilter(where)}
		err := r.p.Dataverse.ListRows(ctx, t.EntitySetName, q, func(rows []providers.Row) error {
			for _, row := range rows {
				id, _ := row[t.PrimaryID].(string)
				if claimed[id] {
					overlap++
					continue
				}
				claimed[id] = true
				claims[strings.ToLower(id)] = code
				mine++
			}
			return nil
		})
		if err != nil {
			return wrap("read "+t.EntitySetName+" for the bootstrap of "+c.Address, err)
		}
		taken := int64(0)
		if strings.TrimSpace(where) != "" {
			f := "_" + CompanyColumn + "_value ne null and (" + where + ")"
			if id := ids[code]; id != "" {
				f = "_" + CompanyColumn + "_value ne " + id + " and " + f
			}
			if taken, err = r.p.Dataverse.CountRows(ctx, t.EntitySetName, providers.Query{Filter: f}); err != nil {
				return wrap("count the "+t.EntitySetName+" of other companies for the bootstrap of "+c.Address, err)
			}
		}
		r.mu.Lock()
		if r.bootstrapped == nil {
			r.bootstrapped = map[string]map[string]string{}
		}
		r.bootstrapped[table] = claims
		r.out.RowCounts[planner.CountKey("bootstrap", code, table)] = mine
		if overlap > 0 {
			r.out.RowCounts[planner.CountKey("bootstrap_overlap", code, table)] = overlap
		}
		if taken > 0 {
			r.out.RowCounts[planner.CountKey("bootstrap_taken", code, table)] = taken
		}
		r.mu.Unlock()
	}
	return nil
}

// BootstrapFilter is the Dataverse filter of the rows a bootstrap gives a
// company: no company yet, and matching where when it is set.
func BootstrapFilter(where string) string {
	f := "_" + CompanyColumn + "_value eq null"
	if strings.TrimSpace(where) != "" {
		f += " and (" + where + ")"
	}
	return f
}

func sortedAddrs[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// prerequisites reads, for every declared map that is not running and
// starts with an initial sync, the maps the service runs before it
// (GetTemplatePrerequisiteSequences [O]), one call per such map: the
// planner orders the starts after them.
func (r *reader) prerequisites(ctx context.Context, g *errgroup.Group, running map[string]bool) {
	r.out.Prerequisites = map[string][]string{}
	for _, addr := range sortedAddrs(r.cfg.TableMaps) {
		m := r.cfg.TableMaps[addr]
		if m.Link != r.link || m.InitialSync == nil || !m.InitialSync.Enabled || r.out.Link == nil ||
			running[strings.ToLower(m.Dataverse)+"|"+strings.ToLower(m.FinOps)] {
			continue
		}
		for _, lm := range r.out.Maps {
			if !strings.EqualFold(lm.DataverseEntitySet, m.Dataverse) || !strings.EqualFold(r.out.FinOpsEntitySets[strings.ToLower(lm.FinOpsEntity)], m.FinOps) {
				continue
			}
			tid := lm.Active.ID
			g.Go(func() error {
				pre, err := r.p.Control.Prerequisites(ctx, *r.out.Link, tid)
				if err != nil {
					return wrap("read the prerequisites of "+lm.DisplayName, err)
				}
				r.mu.Lock()
				r.out.Prerequisites[tid] = pre
				r.mu.Unlock()
				return nil
			})
		}
	}
}
