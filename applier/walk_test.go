package applier

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/state"
	"github.com/google/go-cmp/cmp"
)

// act builds a test action: object "number_sequence" with kind delete runs
// without any service (it only stops managing the sequence); object "bogus"
// fails.
func act(addr, object string, deps ...string) *planner.Action {
	return &planner.Action{ID: addr + ":delete", Address: addr, Object: object, Kind: planner.Delete, DependsOn: deps}
}

func TestWalk(t *testing.T) {
	cases := map[string]struct {
		actions     []*planner.Action
		drained     bool
		parallelism int
		want        map[string]Outcome
		journal     int
	}{
		"chain": {
			actions: []*planner.Action{act("number_sequence.a", "number_sequence"),
				act("number_sequence.b", "number_sequence", "number_sequence.a:delete"),
				act("number_sequence.c", "number_sequence", "number_sequence.b:delete")},
			want:    map[string]Outcome{"number_sequence.a:delete": OK, "number_sequence.b:delete": OK, "number_sequence.c:delete": OK},
			journal: 3,
		},
		"failure blocks what depends on it, not the rest": {
			actions: []*planner.Action{act("number_sequence.a", "number_sequence"),
				act("bogus.b", "bogus", "number_sequence.a:delete"),
				act("number_sequence.c", "number_sequence", "bogus.b:delete"),
				act("number_sequence.d", "number_sequence", "number_sequence.c:delete"),
				act("number_sequence.e", "number_sequence", "number_sequence.a:delete")},
			parallelism: 1,
			want: map[string]Outcome{"number_sequence.a:delete": OK, "bogus.b:delete": Failed, "number_sequence.c:delete": NotStarted,
				"number_sequence.d:delete": NotStarted, "number_sequence.e:delete": OK},
			journal: 3,
		},
		"drained before anything started": {
			actions: []*planner.Action{act("number_sequence.a", "number_sequence"), act("number_sequence.b", "number_sequence")},
			drained: true,
			want:    map[string]Outcome{"number_sequence.a:delete": NotStarted, "number_sequence.b:delete": NotStarted},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b := state.NewLocal(filepath.Join(t.TempDir(), "state.json"))
			defer b.Close()
			drain := make(chan struct{})
			if tc.drained {
				close(drain)
			}
			a := New(b, nil, nil, Options{Parallelism: tc.parallelism})
			p := &planner.Plan{Actions: tc.actions, Objects: map[string]*planner.Object{}}
			rep, err := a.Apply(context.Background(), drain, p, state.New())
			complete := true
			got := map[string]Outcome{}
			for _, r := range rep.Results {
				got[r.ID] = r.Outcome
				complete = complete && r.Outcome == OK
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
			var ae *ApplyError
			if complete != (err == nil) || (!complete && !errors.As(err, &ae)) {
				t.Errorf("error %v for a complete=%v apply", err, complete)
			}
			journal, err := b.Journal(context.Background())
			if err != nil && !errors.Is(err, state.ErrNoState) {
				t.Fatal(err)
			}
			if len(journal) != tc.journal {
				t.Errorf("%d journal entries, want %d: %v", len(journal), tc.journal, journal)
			}
		})
	}
}

func TestDestructiveRefused(t *testing.T) {
	a := New(state.NewLocal(filepath.Join(t.TempDir(), "state.json")), nil, nil, Options{})
	reset := &planner.Action{ID: "link.main:reset", Address: "link.main", Object: "link", Kind: planner.Reset, Destructive: true}
	p := &planner.Plan{Actions: []*planner.Action{reset}}
	_, err := a.Apply(context.Background(), nil, p, nil)
	var de *DestructiveError
	if !errors.As(err, &de) || !cmp.Equal(de.Actions, []string{"link.main:reset"}) {
		t.Fatalf("error %v, want a *DestructiveError naming link.main:reset", err)
	}
	p.Options.AllowDestroy = true
	if err := CheckDestructive(p); err != nil {
		t.Fatalf("allowed by the plan, still refused: %v", err)
	}
}

func TestPacer(t *testing.T) {
	cases := map[string]struct {
		max       int
		throttled []bool
		want      int
	}{
		"starts wide":             {max: 10, want: 10},
		"halves on a 429":         {max: 10, throttled: []bool{true}, want: 5},
		"grows by one per page":   {max: 10, throttled: []bool{true, true, false, false, false}, want: 5},
		"never above the maximum": {max: 2, throttled: []bool{false, false, false}, want: 2},
		"never below one":         {max: 10, throttled: []bool{true, true, true, true, true}, want: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := newPacer(tc.max)
			for _, th := range tc.throttled {
				p.update(th)
			}
			if got := p.current(); got != tc.want {
				t.Errorf("concurrency %d, want %d", got, tc.want)
			}
		})
	}
}
