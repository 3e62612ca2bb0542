package applier

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/dwctl/dwctl/planner"
)

// reads shares reads of live snapshots between actions: fresh returns a
// snapshot whose read started after fresh was called, so what an action
// changed is in it, but actions finishing together share one read.
type reads struct {
	read  Reader
	clock atomic.Int64
	mu    sync.Mutex
	links map[string]*linkRead
}

type linkRead struct {
	mu      sync.Mutex
	started int64
	live    *planner.Live
}

func newReads(read Reader) *reads {
	return &reads{read: read, links: map[string]*linkRead{}}
}

func (r *reads) of(link string) *linkRead {
	r.mu.Lock()
	defer r.mu.Unlock()
	lr := r.links[link]
	if lr == nil {
		lr = &linkRead{}
		r.links[link] = lr
	}
	return lr
}

// fresh returns a snapshot of link read after this call began.
func (r *reads) fresh(ctx context.Context, link string) (*planner.Live, error) {
	if r.read == nil {
		return nil, errors.New("no reader of live snapshots was given")
	}
	asked := r.clock.Add(1)
	lr := r.of(link)
	lr.mu.Lock()
	defer lr.mu.Unlock()
	if lr.live != nil && lr.started > asked {
		return lr.live, nil
	}
	started := r.clock.Add(1)
	l, err := r.read(ctx, link)
	if err != nil {
		return nil, err
	}
	lr.live, lr.started = l, started
	return l, nil
}

func sortStrings(s []string) []string {
	slices.Sort(s)
	return s
}

// isCanceled reports whether err means an interrupt stopped the work.
func isCanceled(err error) bool {
	return errors.Is(err, errCanceled) || errors.Is(err, context.Canceled)
}
