package applier

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// initialSync runs a map's initial sync: dwctl copies the rows itself, or
// the service's initial sync that the map's start requested is waited for
// and its per-company results reported.
func (x *execution) initialSync(ctx context.Context) error {
	if x.act.Params.Mode == "dwctl" {
		return x.copyRows(ctx)
	}
	p, err := x.pair()
	if err != nil {
		return err
	}
	info, err := x.linkInfo(ctx)
	if err != nil {
		return err
	}
	m, err := x.mustFindMap(ctx, p.Control, info)
	if err != nil {
		return err
	}
	id := x.startRequest(m)
	if id == "" {
		return fmt.Errorf("%s has no start request whose initial sync could be waited for", m.DisplayName)
	}
	waitCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-x.drain:
			cancel()
		case <-waitCtx.Done():
		}
	}()
	_, werr := p.Control.Wait(waitCtx, info, id)
	if werr != nil && x.drained() && ctx.Err() == nil {
		return fmt.Errorf("%w: the service's initial sync goes on; apply shows its result once the map runs", errCanceled)
	}
	if m, err = x.mustFindMap(ctx, p.Control, info); err != nil {
		return err
	}
	results, rerr := p.Control.InitialSyncResults(ctx, info, m)
	if rerr != nil && werr == nil {
		return rerr
	}
	return x.syncOutcome(results, werr)
}

// startRequest returns the start request of the map: the one this run
// made, else the newest start the service lists.
func (x *execution) startRequest(m providers.Map) providers.RequestID {
	x.a.mu.Lock()
	id := x.a.requests[objectAddress(x.act.Address)]
	x.a.mu.Unlock()
	if id != "" {
		return id
	}
	var best *providers.Request
	for i, r := range m.LastRequests {
		if r.Action == providers.ActionStart && (best == nil || r.Created.After(best.Created)) {
			best = &m.LastRequests[i]
		}
	}
	if best == nil {
		return ""
	}
	return best.ID
}

// syncOutcome summarises the per-company results and fails with every
// error the service kept (its workspace shows only five).
func (x *execution) syncOutcome(results []providers.SyncResult, werr error) error {
	var parts, errs []string
	for _, r := range results {
		x.rows += int64(r.Upserts)
		company := r.Company
		if company == "" {
			company = "all companies" // a global map
		}
		parts = append(parts, fmt.Sprintf("%s: %d upserts, %d errors (%s)", company, r.Upserts, r.Errors, r.Status))
		for _, e := range r.FirstErrors {
			errs = append(errs, fmt.Sprintf("%s row %s field %s: %s", r.Company, e.RecordID, e.Field, e.Message))
		}
		if r.Errors > len(r.FirstErrors) {
			errs = append(errs, fmt.Sprintf("%s: %d more errors the service did not keep", r.Company, r.Errors-len(r.FirstErrors)))
		}
	}
	x.message = strings.Join(parts, "; ")
	x.progress(0)
	switch {
	case len(errs) > 0 && werr != nil:
		return fmt.Errorf("%w\n    %s", werr, strings.Join(errs, "\n    "))
	case len(errs) > 0:
		return errors.New("initial sync had errors:\n    " + strings.Join(errs, "\n    "))
	}
	return werr
}
