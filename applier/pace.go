package applier

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/dwctl/dwctl/providers"
	"golang.org/x/sync/errgroup"
)

// subBatch is the number of writes one $batch request of a data operation
// carries at most: the services' limit of operations per batch [D].
const subBatch = 1000

// pacer adapts how many $batch requests a data operation sends at once to
// the service's throttling: it starts at the most allowed, halves after a
// page that met a 429 and grows by one after every page sent without one
// (multiplicative decrease, additive increase).
type pacer struct {
	mu    sync.Mutex
	limit int
	max   int
}

func newPacer(max int) *pacer { return &pacer{limit: max, max: max} }

func (p *pacer) current() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.limit
}

func (p *pacer) update(throttled bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if throttled {
		p.limit = max(1, p.limit/2)
	} else {
		p.limit = min(p.limit+1, p.max)
	}
}

// sendPaced sends writes in $batch requests of subBatch writes, as many at
// once as the pacer allows. Writes a 429 turned away (after the client's
// own retries) are sent again once the service's Retry-After passed; they
// are upserts by key and updates by id, so sending one twice is harmless.
// Any other failure is returned.
func (x *execution) sendPaced(ctx context.Context, p *pacer, rs providers.RowWriter, set string, writes []providers.Write) error {
	for len(writes) > 0 {
		var mu sync.Mutex
		var again []providers.Write
		var wait time.Duration
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(p.current())
		for i := 0; i < len(writes); i += subBatch {
			chunk := writes[i:min(i+subBatch, len(writes))]
			g.Go(func() error {
				retry, after, err := x.sendChunk(gctx, rs, set, chunk)
				mu.Lock()
				defer mu.Unlock()
				again, wait = append(again, retry...), max(wait, after)
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
		p.update(len(again) > 0)
		if len(again) > 0 {
			x.a.log.Debug("throttled: sending again", "id", x.act.ID, "writes", len(again), "after", wait, "concurrency", p.current())
			if err := sleepCtx(ctx, max(wait, time.Second)); err != nil {
				return err
			}
		}
		writes = again
	}
	return nil
}

// sendChunk sends one $batch request and returns the writes to send again
// because of throttling, with the wait the service asked for.
func (x *execution) sendChunk(ctx context.Context, rs providers.RowWriter, set string, writes []providers.Write) ([]providers.Write, time.Duration, error) {
	res, err := rs.WriteRows(ctx, set, writes, providers.BatchOptions{ContinueOnError: true, Size: len(writes)})
	if err != nil {
		if providers.IsThrottled(err) {
			return writes, retryAfter(err), nil
		}
		return nil, 0, err
	}
	var again []providers.Write
	var wait time.Duration
	failed, first := 0, error(nil)
	for i, r := range res {
		switch {
		case r.Err == nil:
		case providers.IsThrottled(r.Err):
			again, wait = append(again, writes[i]), max(wait, retryAfter(r.Err))
		default:
			failed++
			if first == nil {
				first = r.Err
			}
		}
	}
	if failed > 0 {
		return nil, 0, &batchError{failed: failed, total: len(writes), set: set, first: first}
	}
	return again, wait, nil
}

func retryAfter(err error) time.Duration {
	var e *providers.Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
