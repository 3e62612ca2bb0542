package live

import (
	"context"

	"github.com/dwctl/dwctl/providers"
	"golang.org/x/sync/errgroup"
)

// importDetails reads, for every map of the pair, the maps the service
// runs before it (GetTemplatePrerequisiteSequences [O]) and whether it ran
// an initial sync (its newest run's results), one call each per map: what
// dwctl import writes as depends_on and initial_sync.
func (r *reader) importDetails(ctx context.Context) error {
	if r.out.Link == nil {
		return nil
	}
	if r.out.Prerequisites == nil {
		r.out.Prerequisites = map[string][]string{}
	}
	r.out.SyncRan = map[string]bool{}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opts.Parallelism)
	for _, m := range r.out.Maps {
		tid := m.Active.ID
		if tid == "" {
			continue
		}
		g.Go(func() error {
			pre, err := r.p.Control.Prerequisites(gctx, *r.out.Link, tid)
			if err != nil {
				return wrap("read the prerequisites of "+m.DisplayName, err)
			}
			var results []providers.SyncResult
			if m.ProjectID != "" { // a map never initialised has never run
				if results, err = r.p.Control.InitialSyncResults(gctx, *r.out.Link, m.Map); err != nil && !providers.IsNotFound(err) {
					return wrap("read the initial-sync results of "+m.DisplayName, err)
				}
			}
			r.mu.Lock()
			defer r.mu.Unlock()
			r.out.Prerequisites[tid] = pre
			r.out.SyncRan[tid] = len(results) > 0
			return nil
		})
	}
	return g.Wait()
}
