package wire

import (
	"context"
	"sync/atomic"
	"time"
)

// The execution time the emulator charges a request against the service protection limits: not its
// wall time on this machine, which says little about the service, but a cost model of what the
// request asks of the service, so that the execution-time budget binds as in the real service.
// docs/emulator.md documents it.
const (
	// RequestCost is charged for every request (a $batch once).
	RequestCost = 2 * time.Millisecond
	// RowReadCost is charged for every row a read returns.
	RowReadCost = 100 * time.Microsecond
	// RowWriteCost is charged for every row a request creates, changes or deletes, alone or in a
	// $batch, including what live sync writes on the other side within it.
	RowWriteCost = 10 * time.Millisecond
)

// Meter adds up what a request costs.
type Meter struct{ total atomic.Int64 }

type meterKey struct{}

// WithMeter returns ctx carrying a new meter for one request.
func WithMeter(ctx context.Context) (context.Context, *Meter) {
	m := &Meter{}
	m.total.Add(int64(RequestCost))
	return context.WithValue(ctx, meterKey{}, m), m
}

// Charge adds d to the meter of ctx, when it has one.
func Charge(ctx context.Context, d time.Duration) {
	if m, ok := ctx.Value(meterKey{}).(*Meter); ok {
		m.total.Add(int64(d))
	}
}

// Total is what the request cost.
func (m *Meter) Total() time.Duration { return time.Duration(m.total.Load()) }
