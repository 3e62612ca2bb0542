package applier_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dwctl/dwctl/applier"
	"github.com/dwctl/dwctl/state"
	"github.com/google/go-cmp/cmp"
)

// TestFaultOnThirdActionThenConverge makes the control plane fail the
// third action of the quickstart's first apply: the report says exactly
// what ran, the journal holds one entry per finished action, and a second
// apply converges.
func TestFaultOnThirdActionThenConverge(t *testing.T) {
	p := openQuickstart(t)
	b := p.local()
	plan, st := p.plan(b)
	var done atomic.Int32
	ap := p.applier(b, applier.Options{Parallelism: 1, Events: func(e applier.Event) {
		if e.Type == applier.EventActionDone && done.Add(1) == 2 {
			p.injectFaults("400")
		}
	}})
	rep, err := ap.Apply(p.ctx, nil, plan, st)
	var ae *applier.ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("apply error %v, want an *ApplyError", err)
	}
	var want, got []string
	for i, a := range plan.Actions {
		outcome := applier.NotStarted
		switch {
		case i < 2:
			outcome = applier.OK
		case i == 2:
			outcome = applier.Failed
		}
		want = append(want, a.ID+" "+string(outcome))
	}
	for _, r := range rep.Results {
		got = append(got, r.ID+" "+string(r.Outcome))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if !strings.Contains(rep.Results[2].Err.Error(), "400") {
		t.Errorf("the failed action's error does not carry the service's answer: %v", rep.Results[2].Err)
	}
	journal, err := b.Journal(p.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var entries []string
	for _, e := range journal {
		entries = append(entries, e.Address+" "+e.Action+" "+string(e.Result))
	}
	wantJournal := []string{}
	for i, a := range plan.Actions[:3] {
		res := "ok"
		if i == 2 {
			res = "failed"
		}
		wantJournal = append(wantJournal, a.Address+" "+a.Kind.Name()+" "+res)
	}
	if diff := cmp.Diff(wantJournal, entries); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
	applyAgain(t, p, b)
}

// applyAgain plans and applies from the stored state, then checks that the
// next plan is empty.
func applyAgain(t *testing.T, p *pair, b state.Backend) {
	t.Helper()
	plan, st := p.plan(b)
	if plan.IsEmpty() {
		t.Fatal("the second plan is empty although the first apply failed")
	}
	if _, err := p.applier(b, applier.Options{}).Apply(p.ctx, nil, plan, st); err != nil {
		t.Fatalf("second apply: %v", err)
	}
	if again, _ := p.plan(b); !again.IsEmpty() {
		var ids []string
		for _, a := range again.Actions {
			ids = append(ids, a.ID)
		}
		t.Fatalf("the plan after the second apply is not empty: %v", ids)
	}
}

// TestConcurrentApplies runs two applies on one state: while the first
// holds the lock the second fails fast naming the holder, or with a
// timeout waits for it; it then finds nothing left to do. Both backends.
func TestConcurrentApplies(t *testing.T) {
	backends := twoBackends("concurrent")
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			p := openQuickstart(t)
			first, second := open(t, p)
			concurrentApplies(t, p, first, second)
		})
	}
}

func concurrentApplies(t *testing.T, p *pair, first, second state.Backend) {
	id, err := first.Lock(p.ctx, state.LockInfo{Operation: "apply"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = second.Lock(p.ctx, state.LockInfo{Operation: "apply"})
	var held *state.LockHeldError
	if !errors.As(err, &held) {
		t.Fatalf("second lock: %v, want a *LockHeldError", err)
	}
	if held.Info.ID != id || !strings.Contains(err.Error(), `for "apply"`) || !strings.Contains(err.Error(), id) {
		t.Errorf("the error does not name the holder and its lock: %v", err)
	}
	got := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Minute)
		defer cancel()
		_, err := second.Lock(ctx, state.LockInfo{Operation: "apply"})
		got <- err
	}()
	plan, st := p.plan(first)
	if _, err := p.applier(first, applier.Options{}).Apply(p.ctx, nil, plan, st); err != nil {
		t.Fatalf("first apply: %v", err)
	}
	select {
	case err := <-got:
		t.Fatalf("the second apply took the lock while the first held it (%v)", err)
	default:
	}
	if err := first.Unlock(p.ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("the waiting apply did not get the lock: %v", err)
	}
	if again, _ := p.plan(second); !again.IsEmpty() {
		t.Fatalf("the second apply finds work left: %d actions", len(again.Actions))
	}
}

// TestAbortThenResume ends the context of an apply (the second Ctrl-C)
// while it waits for a service initial sync: the apply returns at once
// with that action interrupted and journaled so, and the next apply waits
// for the sync that goes on and converges.
func TestAbortThenResume(t *testing.T) {
	p := openQuickstart(t)
	e := p.conns.Emulator("quickstart")
	ctxTimeout, stop := context.WithTimeout(p.ctx, 2*time.Minute)
	defer stop()
	p.ctx = ctxTimeout
	e.SetControlPolls(1) // a request completes at its second poll, after the client's first wait
	b := p.local()
	plan, st := p.plan(b)
	ctx, cancel := context.WithCancel(p.ctx)
	defer cancel()
	ap := p.applier(b, applier.Options{Parallelism: 1, Events: func(ev applier.Event) {
		if ev.Type == applier.EventActionStart && ev.Kind == "initial_sync" {
			cancel()
		}
	}})
	rep, err := ap.Apply(ctx, nil, plan, st)
	if err == nil {
		t.Fatal("an aborted apply reported success")
	}
	var canceled []string
	for _, r := range rep.Results {
		if r.Outcome == applier.Canceled {
			canceled = append(canceled, r.ID)
		}
	}
	if len(canceled) != 1 || !strings.HasPrefix(canceled[0], "initial_sync.") {
		t.Fatalf("interrupted actions %v, want the one initial sync", canceled)
	}
	journal, err := b.Journal(p.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if last := journal[len(journal)-1]; last.Result != state.ResultCanceled || !strings.HasPrefix(last.Address, "initial_sync.") {
		t.Errorf("last journal entry %+v, want the interrupted initial sync", last)
	}
	applyAgain(t, p, b)
}

// TestForceUnlockStopsApply force-unlocks the state while an apply runs, as `dwctl force-unlock`
// from another shell would: the action in flight ends, no further action starts (its remote step
// is never sent), and the report says the lock was lost. Both backends.
func TestForceUnlockStopsApply(t *testing.T) {
	backends := twoBackends("forceunlock")
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			p := openQuickstart(t)
			holder, other := open(t, p)
			id, err := holder.Lock(p.ctx, state.LockInfo{Operation: "apply"})
			if err != nil {
				t.Fatal(err)
			}
			plan, st := p.plan(holder)
			var once sync.Once
			events := func(e applier.Event) {
				if e.Type == applier.EventActionDone {
					once.Do(func() {
						if err := other.ForceUnlock(p.ctx, id); err != nil {
							t.Errorf("force-unlock: %v", err)
						}
					})
				}
			}
			rep, err := p.applier(holder, applier.Options{Parallelism: 1, Events: events}).Apply(p.ctx, nil, plan, st)
			if err == nil {
				t.Fatal("the apply went on after its lock was force-unlocked")
			}
			lost, started := 0, 0
			for _, r := range rep.Results {
				if errors.Is(r.Err, state.ErrLockLost) {
					lost++
				}
				if r.Outcome == applier.OK {
					started++
				}
			}
			if lost == 0 || started != 1 {
				t.Errorf("%d actions done, %d failed for the lost lock; want 1 done and the next one stopped\n%v", started, lost, err)
			}
		})
	}
}

// twoBackends opens two backends on one state, for each kind: two local
// files on one path, or two connections to one fresh PostgreSQL database
// named after prefix.
func twoBackends(prefix string) map[string]func(t *testing.T, p *pair) (state.Backend, state.Backend) {
	return map[string]func(t *testing.T, p *pair) (state.Backend, state.Backend){
		"local": func(t *testing.T, p *pair) (state.Backend, state.Backend) { return p.local(), p.local() },
		"pg": func(t *testing.T, p *pair) (state.Backend, state.Backend) {
			url, err := pgServer.CreateDatabase(p.ctx, fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano()))
			if err != nil {
				t.Fatal(err)
			}
			open := func() state.Backend {
				b, err := state.NewPG(p.ctx, state.PGConfig{Conn: url, Workspace: "quickstart"})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = b.Close() })
				return b
			}
			return open(), open()
		},
	}
}
