package applier

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/state"
	"github.com/hashicorp/go-hclog"
)

// Pair is the providers of one link's environments, with the URLs they
// talk to.
type Pair = live.Pair

// Reader reads the live snapshot of the pair of a link as it is now. The
// applier reads the pairs back with it once, at the end of an apply.
type Reader func(ctx context.Context, link string) (*planner.Live, error)

// Options tune an Applier.
type Options struct {
	// Parallelism bounds the actions running at once (default 10).
	Parallelism int
	// BatchSize is the number of rows a data operation writes per batch and
	// checkpoint (default 1000).
	BatchSize int
	// Events receives progress; calls are serialised.
	Events func(Event)
	// Logger carries the detail (default: none).
	Logger hclog.Logger
	// Now is the clock of journal entries (default time.Now).
	Now func() time.Time
}

// Applier runs plans against the pairs of their links and records the
// outcome in a state backend.
type Applier struct {
	backend state.Backend
	pairs   map[string]Pair
	read    Reader
	opts    Options
	log     hclog.Logger

	evMu sync.Mutex
	// links caches the resolved link of each pair; tids the template of
	// maps created or edited during the run and requests the start
	// requests whose initial sync is still to be waited for, by address.
	mu       sync.Mutex
	links    map[string]*providers.LinkInfo
	tids     map[string]string
	requests map[string]providers.RequestID
	// lockLost is set when the state lock was found lost before an action.
	lockLost atomic.Bool
}

// New returns an Applier writing to backend, with the providers of every
// link by link name and the reader of live snapshots.
func New(backend state.Backend, pairs map[string]Pair, read Reader, opts Options) *Applier {
	if opts.Parallelism <= 0 {
		opts.Parallelism = 10
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if opts.Logger == nil {
		opts.Logger = hclog.NewNullLogger()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Applier{backend: backend, pairs: pairs, read: read, opts: opts, log: opts.Logger.Named("applier"),
		links: map[string]*providers.LinkInfo{}, tids: map[string]string{}, requests: map[string]providers.RequestID{}}
}

// DestructiveError refuses a plan with destructive actions that was not made
// with -allow-destroy.
type DestructiveError struct {
	Actions []string // action IDs
}

func (e *DestructiveError) Error() string {
	return fmt.Sprintf("the plan has destructive actions (%s) but was not made with -allow-destroy; nothing was applied. Make the plan again with -allow-destroy after reviewing them",
		strings.Join(e.Actions, ", "))
}

// CheckDestructive returns a *DestructiveError when p holds destructive
// actions that its options do not allow.
func CheckDestructive(p *planner.Plan) error {
	if p.Options.AllowDestroy {
		return nil
	}
	var ids []string
	for _, a := range p.Actions {
		if a.Destructive {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) > 0 {
		return &DestructiveError{Actions: ids}
	}
	return nil
}

// Apply runs p, made from st, and records the outcome in the backend. The
// caller holds the state lock. Closing drain stops starting new work and
// lets data operations stop after their batch; ending ctx stops at once.
// The returned report lists every action's outcome and the state as last
// stored; the error is non-nil when anything failed or was interrupted.
func (a *Applier) Apply(ctx context.Context, drain <-chan struct{}, p *planner.Plan, st *state.State) (*Report, error) {
	if err := CheckDestructive(p); err != nil {
		return nil, err
	}
	if st == nil {
		st = state.New()
	}
	rec := newRecorder(a, p, st)
	a.emit(Event{Type: EventApplyStart, Total: int64(len(p.Actions))})
	if err := a.settle(ctx, p, rec); err != nil {
		return nil, err
	}
	rep := a.walk(ctx, drain, p, rec)
	if rep.complete() {
		if err := rec.finish(ctx); err != nil {
			rep.Err = err
		}
	} else if ctx.Err() == nil {
		rec.fingerprintRecorded(ctx)
	}
	rep.State = rec.snapshot()
	a.emit(Event{Type: EventApplyDone, Summary: rep.summary(), Serial: rep.State.Serial, Error: errText(rep.err())})
	return rep, rep.err()
}

// emit sends an event, stamped with the time, to Options.Events.
func (a *Applier) emit(e Event) {
	if a.opts.Events == nil {
		return
	}
	e.Time = a.opts.Now().UTC()
	a.evMu.Lock()
	defer a.evMu.Unlock()
	a.opts.Events(e)
}

// pair returns the providers of a link.
func (a *Applier) pair(link string) (Pair, error) {
	p, ok := a.pairs[link]
	if !ok {
		return Pair{}, fmt.Errorf("no environments were opened for link %q", link)
	}
	return p, nil
}

// errCanceled marks an action stopped by an interrupt.
var errCanceled = errors.New("interrupted")

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
