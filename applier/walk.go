package applier

import (
	"context"
	"errors"
	"github.com/dwctl/dwctl/transfer"
	"time"

	"github.com/dwctl/dwctl/planner"
)

// done is a finished action, as the workers report it.
type done struct {
	i    int
	rows int64
	err  error
	took time.Duration
}

// graph is the walk's bookkeeping: per action, the dependencies left and
// who waits for it, and the outcomes so far.
type graph struct {
	p        *planner.Plan
	waiting  []int   // dependencies not yet finished
	children [][]int // actions that depend on each
	results  []Result
	ready    []int // runnable, in plan order
}

func newGraph(p *planner.Plan) *graph {
	g := &graph{p: p, waiting: make([]int, len(p.Actions)), children: make([][]int, len(p.Actions)),
		results: make([]Result, len(p.Actions))}
	index := map[string]int{}
	for i, a := range p.Actions {
		index[a.ID] = i
		g.results[i] = Result{ID: a.ID, Address: a.Address, Kind: a.Kind.Name(), Outcome: NotStarted}
	}
	for i, a := range p.Actions {
		for _, d := range a.DependsOn {
			if j, ok := index[d]; ok {
				g.waiting[i]++
				g.children[j] = append(g.children[j], i)
			}
		}
		if g.waiting[i] == 0 {
			g.ready = append(g.ready, i)
		}
	}
	return g
}

// next takes the first runnable action.
func (g *graph) next() int {
	i := g.ready[0]
	g.ready = g.ready[1:]
	return i
}

// finished records a finished action and makes its dependants runnable,
// or blocks every action below a failed one.
func (g *graph) finished(d done) {
	r := &g.results[d.i]
	r.Rows, r.Duration = d.rows, d.took
	switch {
	case d.err == nil:
		r.Outcome = OK
		for _, c := range g.children[d.i] {
			if g.waiting[c]--; g.waiting[c] == 0 {
				g.insertReady(c)
			}
		}
	case errors.Is(d.err, errCanceled) || errors.Is(d.err, context.Canceled):
		r.Outcome, r.Err = Canceled, d.err
	case errors.As(d.err, new(*transfer.RowErrors)):
		// The copy wrote every row but those it names: what depends on it
		// (the map's start) goes on, as after a service initial sync with
		// row errors; the failure is kept and planned again.
		r.Outcome, r.Err = Failed, d.err
		for _, c := range g.children[d.i] {
			if g.waiting[c]--; g.waiting[c] == 0 {
				g.insertReady(c)
			}
		}
	default:
		r.Outcome, r.Err = Failed, d.err
		g.block(d.i, d.err)
	}
}

// insertReady keeps the ready list in plan order.
func (g *graph) insertReady(i int) {
	at := len(g.ready)
	for k, j := range g.ready {
		if j > i {
			at = k
			break
		}
	}
	g.ready = append(g.ready[:at], append([]int{i}, g.ready[at:]...)...)
}

// block marks what depends on action i as kept from starting by it.
func (g *graph) block(i int, cause error) {
	for _, c := range g.children[i] {
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
		for !draining && ctx.Err() == nil && running < a.opts.Parallelism && len(g.ready) > 0 {
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
