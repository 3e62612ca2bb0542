package control

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dwctl/dwctl/emulator/livesync"
	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// The queue of paused maps [D: dual-write.md §8.3]: every change a paused (or resuming) map would
// carry is kept, in order, in the table runtimequeue of the pair's database, so it survives a
// restart and a database refresh copies it. Resume replays it in order (catch-up), each change on
// its own (a failing change stays queued with its error and the others go on [D]), or skips it —
// keeping the queue (skipCatchUpSyncPreserveData true) or discarding it (false) [O]. Stopping a map
// discards its queue [I].

// QueuedChanges returns how many changes the paused map with project id pid has queued, and the
// errors of those catch-up could not replay.
func (c *Plane) QueuedChanges(ctx context.Context, pid string) (int, []string, error) {
	qs, err := c.store.Queue(ctx, pid)
	if err != nil {
		return 0, nil, err
	}
	var errs []string
	for _, q := range qs {
		if q.Error != "" {
			errs = append(errs, q.Error)
		}
	}
	return len(qs), errs, nil
}

// skipCatchUp reads the resume parameters: whether to skip the catch-up, and then whether to keep
// the queue [O].
func skipCatchUp(p map[string]any) (skip, preserve bool) {
	sp, ok := p["dualWriteSkipCatchUpSyncParameters"].(map[string]any)
	if !ok {
		return false, false
	}
	preserve, _ = sp["skipCatchUpSyncPreserveData"].(bool)
	return true, preserve
}

// catchUp carries out a resume's queue handling for one map; it returns the service's message when
// queued changes failed (they stay queued).
func (c *Plane) catchUp(ctx context.Context, st *pairstate.State, m *pairstate.Map, params map[string]any) (string, error) {
	if m.PID == "" {
		return "", nil
	}
	skip, preserve := skipCatchUp(params)
	switch {
	case skip && preserve:
		return "", nil
	case skip:
		return "", c.store.DiscardQueue(ctx, m.PID)
	}
	qs, err := c.store.Queue(ctx, m.PID)
	if err != nil || len(qs) == 0 {
		return "", err
	}
	rm := c.cat.runMapOf(st, m)
	if rm == nil {
		return "", nil
	}
	ctx = store.AsDualWrite(ctx)
	var failed []string
	for _, q := range qs {
		var ch livesync.Change
		if err := json.Unmarshal(q.Change, &ch); err != nil {
			return "", fmt.Errorf("queued change %d: %w", q.Seq, err)
		}
		var aerr *wire.Error
		err := c.store.InSavepoint(ctx, func() bool {
			aerr = c.runtime.Apply(ctx, rm, ch)
			return aerr == nil
		})
		if err != nil {
			return "", err
		}
		msg := ""
		if aerr != nil {
			msg = aerr.Message
			failed = append(failed, msg)
		}
		if err := c.store.SettleQueued(ctx, q.Seq, msg); err != nil {
			return "", err
		}
	}
	if len(failed) == 0 {
		return "", nil
	}
	return fmt.Sprintf("Catch-up of %s: %d of %d queued changes failed and stay queued. First error: %s",
		rm.Name, len(failed), len(qs), strings.TrimSpace(failed[0])), nil
}
