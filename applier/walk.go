package applier

import (
	"context"
	"errors"
	"time"

	"github.com/dwctl/dwctl/graph"
	"github.com/dwctl/dwctl/transfer"

	"github.com/dwctl/dwctl/planner"
)

// done is a finished action, as the workers report it.
type done struct {
	i    int
	rows int64
	err  error
	took time.Duration
}

// walkGraph is the walk's bookkeeping: the schedule of the plan's actions and
// the outcomes so far.
type walkGraph struct {
	p       *planner.Plan
	sched   *graph.Schedule
	results []Result
}

func newGraph(p *planner.Plan) *walkGraph {
	g := &walkGraph{p: p, results: make([]Result, len(p.Actions))}
	ids := make([]string, len(p.Actions))
	deps := make(map[string][]string, len(p.Actions))
	for i, a := range p.Actions {
		ids[i], deps[a.ID] = a.ID, a.DependsOn
		g.results[i] = Result{ID: a.ID, Address: a.Address, Kind: a.Kind.Name(), Outcome: NotStarted}
	}
	g.sched = graph.NewSchedule(ids, func(id string) []string { return deps[id] })
	return g
}

// next takes the first runnable action.
func (g *walkGraph) next() int { return g.sched.Next() }

// finished records a finished action and makes its dependants runnable,
// or blocks every action below a failed one.
func (g *walkGraph) finished(d done) {
	r := &g.results[d.i]
	r.Rows, r.Duration = d.rows, d.took
	switch {
	case d.err == nil:
		r.Outcome = OK
		g.sched.Done(d.i)
	case errors.Is(d.err, errCanceled) || errors.Is(d.err, context.Canceled):
		r.Outcome, r.Err = Canceled, d.err
	case errors.As(d.err, new(*transfer.RowErrors)):
		// The copy wrote every row but those it names: what depends on it
		// (the map's start) goes on, as after a service initial sync with
		// row errors; the failure is kept and planned again.
		r.Outcome, r.Err = Failed, d.err
		g.sched.Done(d.i)
	default:
		r.Outcome, r.Err = Failed, d.err
		g.block(d.i, d.err)
	}
}

// block marks what depends on action i as kept from starting by it.
func (g *walkGraph) block(i int, cause error) {
	for _, c := range g.sched.Dependents(i) {
		if g.results[c].Err == nil {
			g.results[c].Err = &blockedError{by: g.p.Actions[i].ID, cause: cause}
			g.block(c, cause)
		}
	}
}

// blockedError explains why an action did not start.
type blockedError struct {
	by    string
	cause error
}

func (e *blockedError) Error() string { return "not started: " + e.by + " failed" }

// walk runs the actions of p as a graph and returns the report.
func (a *Applier) walk(ctx context.Context, drain <-chan struct{}, p *planner.Plan, rec *recorder) *Report {
	g := newGraph(p)
	results := make(chan done)
	running, draining := 0, false
	for {
		if !draining && closed(drain) {
			draining = true
			a.log.Info("interrupted: starting no new actions", "running", running)
		}
		if !draining && a.lockLost.Load() {
			draining = true
			a.log.Warn("the state lock was lost: starting no new actions", "running", running)
		}
		for !draining && ctx.Err() == nil && running < a.opts.Parallelism && g.sched.Ready() {
			i := g.next()
			running++
			go func() { results <- a.run(ctx, drain, p.Actions[i], i, rec) }()
		}
		if running == 0 {
			break
		}
		select {
		case d := <-results:
			running--
			g.finished(d)
		case <-drainOrNil(drain, draining):
			draining = true
			a.log.Info("interrupted: starting no new actions", "running", running)
		}
	}
	return &Report{Results: g.results, actions: p.Actions}
}

// closed reports whether the drain channel is closed (nil never is).
func closed(drain <-chan struct{}) bool {
	select {
	case <-drain:
		return true
	default:
		return false
	}
}

// drainOrNil returns drain until it was seen closed, then nil (a nil
// channel never fires).
func drainOrNil(drain <-chan struct{}, seen bool) <-chan struct{} {
	if seen {
		return nil
	}
	return drain
}

// run executes one action and records its end.
func (a *Applier) run(ctx context.Context, drain <-chan struct{}, act *planner.Action, i int, rec *recorder) done {
	start := time.Now()
	a.emit(Event{Type: EventActionStart, ID: act.ID, Address: act.Address, Kind: act.Kind.Name(), Total: act.Rows})
	a.log.Debug("action started", "id", act.ID)
	x := &execution{a: a, act: act, drain: drain, rec: rec}
	err := a.backend.CheckLock(ctx)
	if err != nil {
		a.lockLost.Store(true) // start nothing more: another process may be writing now
	} else {
		err = x.execute(ctx)
	}
	if err == nil {
		err = rec.succeeded(ctx, act, x.message)
	} else {
		rec.ended(ctx, act, err)
	}
	d := done{i: i, rows: x.rows, err: err, took: time.Since(start)}
	outcome := OK
	switch {
	case err == nil:
	case errors.Is(err, errCanceled) || errors.Is(err, context.Canceled):
		outcome = Canceled
	default:
		outcome = Failed
	}
	a.log.Debug("action finished", "id", act.ID, "outcome", outcome, "error", err)
	a.emit(Event{Type: EventActionDone, ID: act.ID, Address: act.Address, Kind: act.Kind.Name(), Result: outcome,
		Error: errText(err), Rows: x.rows, Message: x.message, Serial: rec.serial(), Elapsed: d.took})
	return d
}
