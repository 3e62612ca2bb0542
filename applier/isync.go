package applier

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dwctl/dwctl/addrs"
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
	go x.watchSync(waitCtx, p.Control, info, m)
	_, werr := p.Control.Wait(waitCtx, info, id)
	cancel()
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

// syncWatchInterval is how often the per-company progress of a service
// initial sync is read while it runs.
const syncWatchInterval = 5 * time.Second

// watchSync reports the per-company progress of a running initial sync
// until ctx ends. Progress is advisory: a failed read is only logged.
func (x *execution) watchSync(ctx context.Context, cp providers.ControlPlane, info providers.LinkInfo, m providers.Map) {
	t := time.NewTicker(syncWatchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		results, err := cp.InitialSyncResults(ctx, info, m)
		if err != nil {
			x.a.log.Debug("reading initial-sync progress failed", "id", x.act.ID, "error", err)
			continue
		}
		var rows int64
		var parts []string
		for _, r := range results {
			rows += int64(r.Upserts)
			parts = append(parts, fmt.Sprintf("%s %d upserts, %d errors", companyName(r.Company), r.Upserts, r.Errors))
		}
		x.a.emit(Event{Type: EventProgress, ID: x.act.ID, Address: x.act.Address, Kind: x.act.Kind.Name(),
			Rows: rows, Total: x.act.Rows, Message: strings.Join(parts, "; ")})
	}
}

func companyName(code string) string {
	if code == "" {
		return "all companies" // a global map
	}
	return code
}

// startRequest returns the start request of the map: the one this run
// made, else the newest start the service lists.
func (x *execution) startRequest(m providers.Map) providers.RequestID {
	x.a.mu.Lock()
	id := x.a.requests[addrs.ObjectOf(x.act.Address)]
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
		parts = append(parts, fmt.Sprintf("%s: %d upserts, %d errors (%s)", companyName(r.Company), r.Upserts, r.Errors, r.Status))
		for _, e := range r.FirstErrors {
			where := "row " + e.RecordID
			if e.Field != "" {
				where += " field " + e.Field
			}
			errs = append(errs, fmt.Sprintf("%s %s: %s", r.Company, where, e.Message))
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
