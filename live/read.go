package live

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"golang.org/x/sync/errgroup"
)

// Pair is the providers of one link.
type Pair struct {
	Control   providers.ControlPlane
	FinOps    providers.FinOps
	Dataverse providers.Dataverse
	// Endpoints are the URLs the clients talk to.
	Endpoints planner.Endpoints
}

// Options control a read.
type Options struct {
	// Parallelism bounds the requests in flight (default 10).
	Parallelism int
	// Counts reads the row counts of data operations.
	Counts bool
}

// reader holds one Read.
type reader struct {
	cfg  *config.Config
	link *config.Link
	p    Pair
	opts Options
	mu   sync.Mutex
	out  *planner.Live
}

func newReader(cfg *config.Config, link *config.Link, p Pair, opts Options) *reader {
	if opts.Parallelism <= 0 {
		opts.Parallelism = 10
	}
	return &reader{cfg: cfg, link: link, p: p, opts: opts,
		out: &planner.Live{Endpoints: p.Endpoints, Emulator: link.Dataverse.Emulator, RowCounts: map[string]int64{}, OwningTeams: map[string]string{}}}
}

// Read reads the snapshot of the pair of link.
func Read(ctx context.Context, cfg *config.Config, link *config.Link, p Pair, opts Options) (*planner.Live, error) {
	r := newReader(cfg, link, p, opts)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opts.Parallelism)
	var defs map[string]*providers.MapDefinition
	g.Go(func() error { return r.control(gctx) })
	g.Go(func() error { return r.companies(gctx) })
	g.Go(func() error { return r.owningTeams(gctx) })
	g.Go(func() error { return r.projectConfigurations(gctx) })
	g.Go(func() (err error) { defs, err = r.entityMaps(gctx); return err })
	g.Go(func() error { return r.entitySets(gctx) })
	g.Go(func() error { return r.sequences(gctx) })
	r.autoNumbers(gctx, g)
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := r.definitions(ctx, defs); err != nil {
		return nil, err
	}
	if r.opts.Counts {
		if err := r.counts(ctx); err != nil {
			return nil, err
		}
	}
	return r.out, nil
}

// control reads the link and, when linked, what hangs off it.
func (r *reader) control(ctx context.Context) error {
	info, found, err := r.p.Control.Link(ctx)
	if err != nil || !found {
		return wrap("read the link", err)
	}
	r.out.Link = &info
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		r.out.LegalEntities, err = r.p.Control.LegalEntities(gctx, info)
		return wrap("list legal entities", err)
	})
	g.Go(func() (err error) {
		r.out.IntegrationKeys, err = r.p.Control.IntegrationKeys(gctx, info)
		return wrap("list integration keys", err)
	})
	g.Go(func() (err error) {
		r.out.Alerts, err = r.p.Control.Alerts(gctx, info)
		return wrap("read alert settings", err)
	})
	g.Go(func() error {
		maps, err := r.p.Control.Maps(gctx, info)
		for _, m := range maps {
			r.out.Maps = append(r.out.Maps, planner.LiveMap{Map: m})
		}
		return wrap("list table maps", err)
	})
	return g.Wait()
}

func (r *reader) companies(ctx context.Context) error {
	cs, err := r.p.Dataverse.Companies(ctx)
	r.out.Companies = cs
	return wrap("list cdm_companies", err)
}

// entityMaps reads every saved map version in one paged read and decodes
// the definitions by version id. A Dataverse without the table (dual-write
// not installed) has none.
func (r *reader) entityMaps(ctx context.Context) (map[string]*providers.MapDefinition, error) {
	ems, err := r.p.Dataverse.EntityMaps(ctx)
	if providers.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("list msdyn_dualwriteentitymaps", err)
	}
	out := map[string]*providers.MapDefinition{}
	for _, em := range ems {
		if d, ok := DecodeMapping(em.Mapping); ok {
			out[strings.ToLower(string(em.ID))] = d
		}
	}
	return out, nil
}

// definitions attaches the active version's definition to every map:
// from the entity maps when there, else one control-plane read per map.
func (r *reader) definitions(ctx context.Context, defs map[string]*providers.MapDefinition) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opts.Parallelism)
	for i := range r.out.Maps {
		m := &r.out.Maps[i]
		id := m.Active.ID
		if id == "" {
			id = m.TemplateID
		}
		if d, ok := defs[strings.ToLower(id)]; ok {
			m.Definition = d
			continue
		}
		g.Go(func() error {
			d, err := r.p.Control.MapDefinition(gctx, *r.out.Link, id)
			if err != nil {
				return wrap("read the definition of "+m.DisplayName, err)
			}
			m.Definition = &d
			return nil
		})
	}
	return g.Wait()
}

// entitySets translates the F&O entity names the control plane uses into
// the public collection names of the configuration.
func (r *reader) entitySets(ctx context.Context) error {
	var names []string
	for _, m := range r.cfg.TableMaps {
		if m.Link == r.link {
			names = append(names, m.FinOps)
		}
	}
	r.out.FinOpsEntitySets = map[string]string{}
	if len(names) == 0 {
		return nil
	}
	tables, err := r.p.FinOps.Tables(ctx, dedupe(names))
	if err != nil {
		if providers.IsNotFound(err) {
			return nil // validate -live names the missing entity
		}
		return wrap("read F&O entity metadata", err)
	}
	for _, t := range tables {
		r.out.FinOpsEntitySets[strings.ToLower(t.LogicalName)] = t.EntitySetName
		r.out.FinOpsEntitySets[strings.ToLower(t.EntitySetName)] = t.EntitySetName
	}
	return nil
}

// sequences reads the declared F&O number sequences in one filtered call.
func (r *reader) sequences(ctx context.Context) error {
	var terms []string
	for _, n := range r.cfg.NumberSequences {
		if n.Link == r.link && n.FinOps != nil {
			terms = append(terms, fmt.Sprintf("NumberSequenceCode eq '%s'", strings.ReplaceAll(n.FinOps.Code, "'", "''")))
		}
	}
	if len(terms) == 0 {
		return nil
	}
	seqs, err := r.p.FinOps.NumberSequences(ctx, strings.Join(dedupe(terms), " or "))
	r.out.Sequences = seqs
	return wrap("list number sequences", err)
}

// autoNumbers reads each declared autonumber column (one request each).
func (r *reader) autoNumbers(ctx context.Context, g *errgroup.Group) {
	for _, addr := range sortedAddrs(r.cfg.NumberSequences) {
		n := r.cfg.NumberSequences[addr]
		if n.Link != r.link || n.Dataverse == nil {
			continue
		}
		table, column := n.Dataverse.Table, n.Dataverse.Column
		g.Go(func() error {
			an, err := r.p.Dataverse.AutoNumber(ctx, table, column)
			if providers.IsNotFound(err) {
				return nil
			}
			if err != nil {
				return wrap(fmt.Sprintf("read the autonumber of %s.%s", table, column), err)
			}
			r.mu.Lock()
			r.out.AutoNumbers = append(r.out.AutoNumbers, an)
			r.mu.Unlock()
			return nil
		})
	}
}

// wrap names the read that failed; nil stays nil.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[strings.ToLower(s)] {
			seen[strings.ToLower(s)] = true
			out = append(out, s)
		}
	}
	return out
}

// projectConfigurations reads F&O's runtime configuration of dual-write
// (one paged read); an F&O without the entity has none.
func (r *reader) projectConfigurations(ctx context.Context) error {
	pcs, err := r.p.FinOps.ProjectConfigurations(ctx)
	if providers.IsNotFound(err) {
		return nil
	}
	r.out.ProjectConfigurations = pcs
	return wrap("list DualWriteProjectConfigurations", err)
}
