package live

import (
	"context"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"golang.org/x/sync/errgroup"
)

// ReadMetadata adds to l what validate -live checks: the metadata of
// every table the configuration of link names, on both sides, and the
// rows per company of maps that start with a service initial sync.
func ReadMetadata(ctx context.Context, cfg *config.Config, link *config.Link, p Pair, l *planner.Live, opts Options) error {
	r := newReader(cfg, link, p, opts)
	r.out = l
	if l.RowCounts == nil {
		l.RowCounts = map[string]int64{}
	}
	l.FinOpsTables = map[string]providers.Table{}
	l.DataverseTables = map[string]providers.Table{}
	var foNames, dvNames, sets []string
	for _, addr := range sortedAddrs(r.cfg.TableMaps) {
		if m := r.cfg.TableMaps[addr]; m.Link == r.link {
			foNames, sets = append(foNames, m.FinOps), append(sets, m.Dataverse)
		}
	}
	for _, k := range r.cfg.IntegrationKeys {
		if k.Link == r.link {
			dvNames = append(dvNames, k.Table)
		}
	}
	for _, ns := range r.cfg.NumberSequences {
		if ns.Link == r.link && ns.Dataverse != nil && ns.Dataverse.Table != "" {
			dvNames = append(dvNames, ns.Dataverse.Table)
		}
	}
	fo, err := tablesEach(ctx, r.p.FinOps, dedupe(foNames))
	if err != nil {
		return wrap("read F&O metadata", err)
	}
	for _, t := range fo {
		l.FinOpsTables[strings.ToLower(t.EntitySetName)] = t
	}
	dvNames = append(dvNames, logicalNames(l, sets)...)
	dv, err := tablesEach(ctx, r.p.Dataverse, dedupe(dvNames))
	if err != nil {
		return wrap("read Dataverse metadata", err)
	}
	for _, t := range dv {
		l.DataverseTables[strings.ToLower(t.LogicalName)] = t
	}
	l.NameHints = map[string]string{}
	if err := r.bySets(ctx, l, sets); err != nil {
		return err
	}
	if err := r.keyHints(ctx, l, dvNames); err != nil {
		return err
	}
	return r.companyCounts(ctx, l)
}

// tablesEach reads the tables that exist among names: one request for all
// when they all exist, else one per name to tell which do not.
func tablesEach(ctx context.Context, s providers.SchemaReader, names []string) ([]providers.Table, error) {
	if len(names) == 0 {
		return nil, nil
	}
	ts, err := s.Tables(ctx, names)
	if err == nil || !providers.IsNotFound(err) {
		return ts, err
	}
	ts = nil
	for _, n := range names {
		one, err := s.Tables(ctx, []string{n})
		switch {
		case providers.IsNotFound(err):
		case err != nil:
			return nil, err
		default:
			ts = append(ts, one...)
		}
	}
	return ts, nil
}

// logicalNames returns the logical names of entity sets that live maps
// name; the others are found by bySets.
func logicalNames(l *planner.Live, sets []string) []string {
	var out []string
	for _, set := range sets {
		for _, m := range l.Maps {
			if strings.EqualFold(m.DataverseEntitySet, set) && m.DataverseTable != "" {
				out = append(out, m.DataverseTable)
			}
		}
	}
	return out
}

// bySets finds the tables of entity sets no live map names, by the
// plural forms Dataverse makes of logical names [I]: name+s, name+es,
// y→ies.
func (r *reader) bySets(ctx context.Context, l *planner.Live, sets []string) error {
	for _, set := range sets {
		if hasSet(l, set) {
			continue
		}
		for _, guess := range singulars(strings.ToLower(set)) {
			ts, err := r.p.Dataverse.Tables(ctx, []string{guess})
			if providers.IsNotFound(err) {
				continue
			}
			if err != nil {
				return wrap("read Dataverse metadata", err)
			}
			if len(ts) == 1 && strings.EqualFold(ts[0].EntitySetName, set) {
				l.DataverseTables[strings.ToLower(ts[0].LogicalName)] = ts[0]
				break
			}
			if len(ts) == 1 && strings.EqualFold(ts[0].LogicalName, set) {
				l.NameHints[strings.ToLower(set)] = ts[0].EntitySetName
			}
		}
	}
	return nil
}

// keyHints finds, for integration keys whose table is unknown, a table
// whose entity set name they wrote instead of its logical name.
func (r *reader) keyHints(ctx context.Context, l *planner.Live, names []string) error {
	for _, n := range names {
		if _, ok := l.DataverseTables[strings.ToLower(n)]; ok {
			continue
		}
		for _, guess := range singulars(strings.ToLower(n))[:len(singulars(strings.ToLower(n)))-1] {
			ts, err := r.p.Dataverse.Tables(ctx, []string{guess})
			if providers.IsNotFound(err) {
				continue
			}
			if err != nil {
				return wrap("read Dataverse metadata", err)
			}
			if len(ts) == 1 && strings.EqualFold(ts[0].EntitySetName, n) {
				l.NameHints[strings.ToLower(n)] = ts[0].LogicalName
				break
			}
		}
	}
	return nil
}

func hasSet(l *planner.Live, set string) bool {
	for _, t := range l.DataverseTables {
		if strings.EqualFold(t.EntitySetName, set) {
			return true
		}
	}
	return false
}

func singulars(set string) []string {
	var out []string
	if s, ok := strings.CutSuffix(set, "ies"); ok {
		out = append(out, s+"y")
	}
	if s, ok := strings.CutSuffix(set, "es"); ok {
		out = append(out, s)
	}
	if s, ok := strings.CutSuffix(set, "s"); ok {
		out = append(out, s)
	}
	return append(out, set)
}

// companyCounts counts the F&O rows per company of maps that start with a
// service initial sync, for the documented limit per company and run.
func (r *reader) companyCounts(ctx context.Context, l *planner.Live) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opts.Parallelism)
	for _, addr := range sortedAddrs(r.cfg.TableMaps) {
		m := r.cfg.TableMaps[addr]
		if m.Link != r.link || m.InitialSync == nil || !m.InitialSync.Enabled || m.InitialSync.Mode == "dwctl" {
			continue
		}
		if t, ok := l.FinOpsTables[strings.ToLower(m.FinOps)]; ok && !t.CompanySpecific() {
			r.count(gctx, g, planner.CountKey("finops", m.FinOps, planner.GlobalCompany), func(ctx context.Context) (int64, error) {
				return r.p.FinOps.CountRows(ctx, m.FinOps, providers.Query{})
			})
			continue
		} else if !ok {
			continue
		}
		for _, caddr := range sortedAddrs(r.cfg.Companies) {
			c := r.cfg.Companies[caddr]
			if c.Link != r.link {
				continue
			}
			r.count(gctx, g, planner.CountKey("finops", m.FinOps, strings.ToUpper(c.ID)), func(ctx context.Context) (int64, error) {
				return r.p.FinOps.CountRows(ctx, m.FinOps, providers.Query{Company: c.ID})
			})
		}
	}
	return g.Wait()
}
