package applier

import (
	"context"
	"fmt"

	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
)

// settle waits for the service's initial syncs still in progress on the
// plan's links — started by an apply that was killed or interrupted before
// it waited for them — so that the actions that depend on their rows find
// them, and reports their results.
func (a *Applier) settle(ctx context.Context, p *planner.Plan, rec *recorder) error {
	for _, link := range rec.links() {
		pr := a.pairs[link]
		info, found, err := pr.Control.Link(ctx)
		if err != nil {
			return err
		}
		if !found {
			continue
		}
		maps, err := pr.Control.Maps(ctx, info)
		if err != nil {
			return err
		}
		for _, m := range maps {
			if m.State == providers.StateInitialSync {
				if err := a.settleMap(ctx, pr, info, m); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// settleMap waits for one map's initial sync.
func (a *Applier) settleMap(ctx context.Context, pr Pair, info providers.LinkInfo, m providers.Map) error {
	x := &execution{a: a, act: &planner.Action{ID: m.DisplayName + ":initial_sync", Address: m.DisplayName, Kind: planner.InitialSync}}
	id := x.startRequest(m)
	if id == "" {
		return nil
	}
	a.emit(Event{Type: EventActionStart, ID: x.act.ID, Address: m.DisplayName, Kind: "initial_sync",
		Message: "waiting for the initial sync an earlier apply started"})
	_, werr := pr.Control.Wait(ctx, info, id)
	results, rerr := pr.Control.InitialSyncResults(ctx, info, m)
	if rerr != nil && werr == nil {
		werr = rerr
	}
	err := x.syncOutcome(results, werr)
	outcome := OK
	if err != nil {
		outcome = Failed
	}
	a.emit(Event{Type: EventActionDone, ID: x.act.ID, Address: m.DisplayName, Kind: "initial_sync", Result: outcome,
		Error: errText(err), Rows: x.rows, Message: x.message})
	if err != nil {
		return fmt.Errorf("the initial sync of %s that an earlier apply started failed: %w", m.DisplayName, err)
	}
	return nil
}
