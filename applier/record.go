package applier

import (
	"context"
	"fmt"
	"sync"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/state"
)

// recorder keeps the state of one apply and stores every change of it as a
// compare-and-swap Put, one at a time.
type recorder struct {
	a  *Applier
	p  *planner.Plan
	mu sync.Mutex
	st *state.State
	// left counts the actions not yet finished per object address; failed
	// marks objects one of whose actions failed.
	left    map[string]int
	touched map[string]bool
	failed  map[string]bool
	// recorded are the objects this run recorded in state.
	recorded map[string]bool
	reads    *reads
}

func newRecorder(a *Applier, p *planner.Plan, st *state.State) *recorder {
	r := &recorder{a: a, p: p, st: st, left: map[string]int{}, touched: map[string]bool{}, failed: map[string]bool{},
		recorded: map[string]bool{}, reads: newReads(a.read)}
	for _, act := range p.Actions {
		r.left[addrs.ObjectOf(act.Address)]++
		r.touched[addrs.ObjectOf(act.Address)] = true
	}
	return r
}

// snapshot returns a copy of the state as last stored.
func (r *recorder) snapshot() *state.State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.st.Clone()
}

// serial returns the serial of the state as last stored.
func (r *recorder) serial() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.st.Serial
}

// update applies change to a copy of the state and stores it; the copy
// becomes the recorder's state only once stored.
func (r *recorder) update(ctx context.Context, change func(*state.State)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.updateLocked(ctx, change)
}

func (r *recorder) updateLocked(ctx context.Context, change func(*state.State)) error {
	c := r.st.Clone()
	change(c)
	if err := r.a.backend.Put(ctx, c); err != nil {
		return fmt.Errorf("recording the state: %w", err)
	}
	r.st = c
	return nil
}

// journal appends one entry for act at the current serial.
func (r *recorder) journalLocked(ctx context.Context, act *planner.Action, res state.Result, msg string) error {
	e := state.JournalEntry{Time: r.a.opts.Now(), Address: act.Address, Action: act.Kind.Name(), Result: res,
		Message: msg, Serial: r.st.Serial}
	return r.a.backend.AppendJournal(ctx, e)
}

// succeeded records a finished action: its object's state record once its
// last action finished, its data operation's checkpoint cleared, and a
// journal entry. The object is recorded from what the plan applied, without
// its fingerprint: the live objects are read once, after the walk
// (fingerprintRecorded, finish), not once per object. Until then — or for
// good, if the process dies first — the empty fingerprint only means that
// the next plan does not look for drift on it; the journal tells what
// finished.
func (r *recorder) succeeded(ctx context.Context, act *planner.Action, msg string) error {
	obj := addrs.ObjectOf(act.Address)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.left[obj]--
	last := r.left[obj] == 0 && !r.failed[obj]
	fp := ""
	err := r.updateLocked(ctx, func(s *state.State) {
		if act.Kind.IsData() {
			s.ClearCheckpoint(act.Address)
		}
		switch {
		case act.Kind == planner.Reset:
			r.forgetLink(s, obj)
		case !last:
		case act.Kind == planner.Delete:
			s.RemoveObject(obj)
		default:
			if o := r.p.Objects[obj]; o != nil {
				s.SetObject(obj, planner.StateObject(o, fp))
				r.recorded[obj] = true
			}
		}
	})
	if err != nil {
		return err
	}
	return r.journalLocked(ctx, act, state.ResultOK, msg)
}

// forgetLink removes every object of a reset link from state.
func (r *recorder) forgetLink(s *state.State, linkAddr string) {
	name := addrs.NameOf(linkAddr)
	for _, addr := range s.Addresses() {
		if s.Objects[addr].Identity["link"] == name {
			s.RemoveObject(addr)
		}
	}
}

// fingerprintRecorded reads each link of the objects this run recorded
// once and stores their fingerprints, after an apply that did not finish
// (a finished one records every object in finish). A read that fails
// leaves them without one.
func (r *recorder) fingerprintRecorded(ctx context.Context) {
	r.mu.Lock()
	links := map[string]bool{}
	for obj := range r.recorded {
		if o := r.p.Objects[obj]; o != nil {
			links[o.Link] = true
		}
	}
	r.mu.Unlock()
	lives := map[string]*planner.Live{}
	for l := range links {
		live, err := r.reads.fresh(ctx, l)
		if err != nil {
			r.a.log.Warn("could not read the link back to fingerprint what was applied", "link", l, "error", err)
			continue
		}
		lives[l] = live
	}
	if len(lives) == 0 {
		return
	}
	fps := planner.Fingerprints(r.p, lives, r.snapshot())
	err := r.update(ctx, func(s *state.State) {
		for obj := range r.recorded {
			if so, ok := s.Objects[obj]; ok && so.Fingerprint == "" && fps[obj] != "" {
				so.Fingerprint = fps[obj]
				s.Objects[obj] = so
			}
		}
	})
	if err != nil {
		r.a.log.Warn("could not record the fingerprints of what was applied", "error", err)
	}
}

// ended records an action that failed or was interrupted: a journal entry,
// and for a failure the mark that keeps its object from being recorded. A
// failed data operation leaves its object as it is — a map that started
// runs, without its data — so the object is still recorded once its other
// actions finished, and the failure is kept with the operation's
// checkpoint: the next plan plans the operation again.
func (r *recorder) ended(ctx context.Context, act *planner.Action, cause error) {
	res := state.ResultFailed
	if isCanceled(cause) {
		res = state.ResultCanceled
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	obj := addrs.ObjectOf(act.Address)
	switch {
	case res == state.ResultFailed && act.Kind.IsData():
		r.left[obj]--
		record := r.left[obj] == 0 && !r.failed[obj]
		err := r.updateLocked(context.WithoutCancel(ctx), func(s *state.State) {
			cp, _ := s.Checkpoint(act.Address)
			cp.Error, cp.Updated = cause.Error(), r.a.opts.Now().UTC()
			s.SetCheckpoint(act.Address, cp)
			if o := r.p.Objects[obj]; record && o != nil {
				s.SetObject(obj, planner.StateObject(o, ""))
				r.recorded[obj] = true
			}
		})
		if err != nil {
			r.a.log.Warn("could not record the failed data operation", "id", act.ID, "error", err)
		}
	case res == state.ResultFailed:
		r.failed[obj] = true
	}
	// The context may be the one that was just canceled: the journal entry
	// still goes out.
	if err := r.journalLocked(context.WithoutCancel(ctx), act, res, cause.Error()); err != nil {
		r.a.log.Warn("could not journal the end of an action", "id", act.ID, "error", err)
	}
}

// checkpoint stores the progress of a data operation.
func (r *recorder) checkpoint(ctx context.Context, addr string, cp state.Checkpoint) error {
	cp.Updated = r.a.opts.Now().UTC()
	return r.update(ctx, func(s *state.State) { s.SetCheckpoint(addr, cp) })
}

// savedCheckpoint returns the checkpoint a previous run left for addr.
func (r *recorder) savedCheckpoint(addr string) (state.Checkpoint, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.st.Checkpoint(addr)
}

// finish ends a successful apply: it reads every link once more and records
// each declared object found live, then forgets Plan.Forget. A refresh-only
// plan records what planner.Refreshed makes of the managed objects: drift
// accepted, objects that are gone forgotten.
func (r *recorder) finish(ctx context.Context) error {
	links := r.links()
	lives := map[string]*planner.Live{}
	for _, l := range links {
		live, err := r.reads.fresh(ctx, l)
		if err != nil {
			return fmt.Errorf("reading link %s after the apply: %w", l, err)
		}
		lives[l] = live
	}
	if r.p.Options.RefreshOnly {
		return r.update(ctx, func(s *state.State) {
			refreshed, _ := planner.Refreshed(s, lives)
			s.Objects = refreshed.Objects
		})
	}
	fps := planner.Fingerprints(r.p, lives, r.snapshot())
	return r.update(ctx, func(s *state.State) {
		for addr, fp := range fps {
			_, managed := s.Objects[addr]
			o := r.p.Objects[addr]
			switch {
			case o == nil || r.p.Options.Destroy:
			case managed || r.touched[addr] || len(r.p.Options.Targets) == 0:
				s.SetObject(addr, planner.StateObject(o, fp))
			}
		}
		for _, addr := range r.p.Forget {
			s.RemoveObject(addr)
		}
	})
}

// links returns the names of the links the plan and the state name, sorted.
func (r *recorder) links() []string {
	seen := map[string]bool{}
	var out []string
	add := func(l string) {
		if _, ok := r.a.pairs[l]; ok && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	for _, o := range r.p.Objects {
		add(o.Link)
	}
	for _, o := range r.snapshot().Objects {
		add(o.Identity["link"])
	}
	return sortStrings(out)
}
