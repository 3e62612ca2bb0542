package live

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
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
	// Resync names the table maps (by address) whose last initial sync
	// failed: their sizes are read although they run.
	Resync map[string]bool
	// ShowRows is how many row differences each dwctl-mode initial-sync
	// preview keeps (plan -show-rows).
	ShowRows int
	// Import also reads what dwctl import writes of every map: the maps
	// the service runs before it, and whether it ran an initial sync.
	Import bool
}

// reader holds one Read.
type reader struct {
	cfg  *config.Config
	link *config.Link
	p    Pair
	opts Options
	mu   sync.Mutex
	out  *planner.Live
	// bootstrapped are, by Dataverse table (logical name, lower case), the
	// company-less rows the plan's bootstraps give a company: row id
	// (lower case) → company code. Previews count them as that company's.
	bootstrapped map[string]map[string]string
	// foTables are the F&O entities of the configuration's maps as
	// entitySets read them, by entity set name (lower case), for the
	// previews to use instead of reading them again.
	foTables map[string]providers.Table
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
	var defs []providers.EntityMap
	g.Go(func() error { return r.control(gctx) })
	g.Go(func() error { return r.gateway(gctx) })
	g.Go(func() error { return r.companies(gctx) })
	g.Go(func() error { return r.organization(gctx) })
	g.Go(func() error { return r.legalEntities(gctx) })
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
	if r.opts.Import {
		if err := r.importDetails(ctx); err != nil {
			return nil, err
		}
	}
	return r.out, nil
}

// control reads the link and, when linked, what hangs off it.
func (r *reader) control(ctx context.Context) error {
	info, details, found, err := r.p.Control.LinkWithDetails(ctx) // one read of the connection set
	if err != nil || !found {
		return wrap("read the link", err)
	}
	r.out.Link = &info
	maps, err := r.p.Control.Maps(ctx, info)
	if err != nil {
		return wrap("list table maps", err)
	}
	r.out.LegalEntities, r.out.IntegrationKeys, r.out.Alerts = details.LegalEntities, details.IntegrationKeys, details.Alerts
	r.mu.Lock()
	r.out.Warnings = append(r.out.Warnings, details.Warnings...)
	r.mu.Unlock()
	for _, m := range maps {
		r.out.Maps = append(r.out.Maps, planner.LiveMap{Map: m})
		r.out.Warnings = append(r.out.Warnings, m.Warnings...)
	}
	return nil
}

// gateway probes the control plane (GET Version), which tells whether it is the emulator.
// A gateway that does not serve the probe (its answer is not observed) is
// taken for a real one, with a warning; a refused token is an error.
func (r *reader) gateway(ctx context.Context) error {
	gw, err := r.p.Control.Probe(ctx)
	if r.unserved(err, "GET Version answered %d; dwctl takes the gateway for a real one", http.StatusNotFound, http.StatusMethodNotAllowed) {
		return nil
	}
	r.out.Gateway = gw
	return wrap("probe the dual-write gateway", err)
}

// organization reads which organisation and environment the Dataverse URL
// reaches. A Dataverse that does not serve the function leaves them
// unknown, with a warning: the check for a copied database is skipped.
func (r *reader) organization(ctx context.Context) error {
	org, err := r.p.Dataverse.CurrentOrganization(ctx)
	if r.unserved(err, "RetrieveCurrentOrganization answered %d; dwctl cannot tell a copied Dataverse database from the one the link was made with",
		http.StatusNotFound, http.StatusNotImplemented) {
		return nil
	}
	r.out.DataverseOrganization = org
	return wrap("read the Dataverse organization", err)
}

// unserved reports whether err is a service's answer with one of statuses
// — a call it does not serve — and then records the warning (a format with
// the status).
func (r *reader) unserved(err error, warning string, statuses ...int) bool {
	var pe *providers.Error
	if !errors.As(err, &pe) || !slices.Contains(statuses, pe.Status) {
		return false
	}
	r.mu.Lock()
	r.out.Warnings = append(r.out.Warnings, fmt.Sprintf(warning, pe.Status))
	r.mu.Unlock()
	return true
}

// legalEntities reads the legal entities F&O has: a company the
// configuration names must be one of them.
func (r *reader) legalEntities(ctx context.Context) error {
	les, err := r.p.FinOps.LegalEntities(ctx)
	if err != nil {
		return wrap("list F&O legal entities", err)
	}
	codes := make([]string, len(les))
	for i, le := range les {
		codes[i] = strings.ToUpper(le.Code)
	}
	slices.Sort(codes)
	r.out.FinOpsLegalEntities = codes
	return nil
}

func (r *reader) companies(ctx context.Context) error {
	cs, err := r.p.Dataverse.Companies(ctx)
	r.out.Companies = cs
	return wrap("list cdm_companies", err)
}

// entityMaps reads every saved map version in one paged read. A Dataverse
// without the table (dual-write not installed) has none.
func (r *reader) entityMaps(ctx context.Context) ([]providers.EntityMap, error) {
	ems, err := r.p.Dataverse.EntityMaps(ctx)
	if providers.IsNotFound(err) {
		return nil, nil
	}
	return ems, wrap("list msdyn_dualwriteentitymaps", err)
}

// definitions attaches the active version's definition to every map: from
// its msdyn_dualwriteentitymap row when one matches (see VersionRows), else
// from the project of an initialised map ({pid}/FieldMappings, one read per
// such map). A map with neither has no definition.
func (r *reader) definitions(ctx context.Context, ems []providers.EntityMap) error {
	rows := NewVersionRows(ems)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opts.Parallelism)
	for i := range r.out.Maps {
		m := &r.out.Maps[i]
		if d, ok := rows.Definition(m.Map, m.Active); ok {
			m.Definition = d
			continue
		}
		if m.ProjectID == "" {
			continue
		}
		g.Go(func() error {
			d, err := r.p.Control.MapDefinition(gctx, *r.out.Link, m.Map)
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
	r.foTables = map[string]providers.Table{}
	for _, t := range tables {
		r.out.FinOpsEntitySets[strings.ToLower(t.LogicalName)] = t.EntitySetName
		r.out.FinOpsEntitySets[strings.ToLower(t.EntitySetName)] = t.EntitySetName
		r.foTables[strings.ToLower(t.EntitySetName)] = t
	}
	return nil
}

// finOpsTables returns the F&O entities of names (public collection
// names): those entitySets read when it read all of them, else read now.
func (r *reader) finOpsTables(ctx context.Context, names []string) ([]providers.Table, error) {
	out := make([]providers.Table, 0, len(names))
	for _, n := range names {
		t, ok := r.foTables[strings.ToLower(n)]
		if !ok {
			return tablesEach(ctx, r.p.FinOps, names)
		}
		out = append(out, t)
	}
	return out, nil
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
