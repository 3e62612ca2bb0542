package emulator

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The queue of paused maps [D: dual-write.md §8.3]: every change a paused (or resuming) map would
// carry is kept, in order, in the table runtimequeue of the pair's database, so it survives a
// restart and a database refresh copies it. Resume replays it in order (catch-up), each change on
// its own (a failing change stays queued with its error and the others go on [D]), or skips it —
// keeping the queue (skipCatchUpSyncPreserveData true) or discarding it (false) [O]. Stopping a map
// discards its queue [I].

const queueSchemaSQL = `CREATE TABLE IF NOT EXISTS runtimequeue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, pid TEXT NOT NULL, change TEXT NOT NULL, error TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS runtimequeue_pid ON runtimequeue (pid, seq);`

// queuedChange is one entry of a map's queue.
type queuedChange struct {
	seq   int64
	ch    change
	error string
}

// ensureQueue creates the queue table when the database has none.
func (s *Store) ensureQueue() error {
	_, err := s.db.Exec(queueSchemaSQL)
	return err
}

// enqueue appends a change to the queue of project pid, in the transaction of ctx.
func (s *Store) enqueue(ctx context.Context, pid string, ch change) error {
	data, err := json.Marshal(ch)
	if err != nil {
		return err
	}
	return s.Update(ctx, func(ctx context.Context) error {
		_, err := s.q(ctx).ExecContext(ctx, `INSERT INTO runtimequeue (pid, change) VALUES (?,?)`, pid, string(data))
		return err
	})
}

// queued returns the queue of project pid in order.
func (s *Store) queued(ctx context.Context, pid string) ([]queuedChange, error) {
	rs, err := s.q(ctx).QueryContext(ctx, `SELECT seq, change, error FROM runtimequeue WHERE pid=? ORDER BY seq`, pid)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []queuedChange
	for rs.Next() {
		var q queuedChange
		var data string
		if err := rs.Scan(&q.seq, &data, &q.error); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &q.ch); err != nil {
			return nil, fmt.Errorf("queued change %d: %w", q.seq, err)
		}
		out = append(out, q)
	}
	return out, rs.Err()
}

// settleQueued removes a replayed change, or records why it failed.
func (s *Store) settleQueued(ctx context.Context, seq int64, failure string) error {
	if failure == "" {
		_, err := s.q(ctx).ExecContext(ctx, `DELETE FROM runtimequeue WHERE seq=?`, seq)
		return err
	}
	_, err := s.q(ctx).ExecContext(ctx, `UPDATE runtimequeue SET error=? WHERE seq=?`, failure, seq)
	return err
}

// discardQueue empties the queue of project pid.
func (s *Store) discardQueue(ctx context.Context, pid string) error {
	_, err := s.q(ctx).ExecContext(ctx, `DELETE FROM runtimequeue WHERE pid=?`, pid)
	return err
}

// inSavepoint runs fn inside a savepoint of the transaction of ctx; when fn reports failure, what it
// wrote is undone and the transaction goes on.
func (s *Store) inSavepoint(ctx context.Context, fn func() bool) error {
	tx, ok := ctx.Value(txKey{}).(*sql.Tx)
	if !ok {
		return errors.New("emulator: a savepoint needs a transaction")
	}
	if _, err := tx.ExecContext(ctx, `SAVEPOINT dw_catchup`); err != nil {
		return err
	}
	if !fn() {
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO dw_catchup`); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `RELEASE dw_catchup`)
	return err
}

// QueuedChanges returns how many changes the paused map with project id pid has queued, and the
// errors of those catch-up could not replay.
func (e *Emulator) QueuedChanges(ctx context.Context, pid string) (int, []string, error) {
	qs, err := e.store.queued(ctx, pid)
	if err != nil {
		return 0, nil, err
	}
	var errs []string
	for _, q := range qs {
		if q.error != "" {
			errs = append(errs, q.error)
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
func (c *controlPlane) catchUp(ctx context.Context, st *ctlState, m *ctlMap, params map[string]any) (string, error) {
	if m.PID == "" {
		return "", nil
	}
	skip, preserve := skipCatchUp(params)
	switch {
	case skip && preserve:
		return "", nil
	case skip:
		return "", c.e.store.discardQueue(ctx, m.PID)
	}
	qs, err := c.e.store.queued(ctx, m.PID)
	if err != nil || len(qs) == 0 {
		return "", err
	}
	rm, _, _ := c.runMapOf(st, m)
	if rm == nil {
		return "", nil
	}
	ctx = withoutRuntime(ctx)
	var failed []string
	for _, q := range qs {
		var aerr *apiError
		err := c.e.store.inSavepoint(ctx, func() bool {
			aerr = c.e.applyChange(ctx, rm, q.ch)
			return aerr == nil
		})
		if err != nil {
			return "", err
		}
		msg := ""
		if aerr != nil {
			msg = aerr.message
			failed = append(failed, msg)
		}
		if err := c.e.store.settleQueued(ctx, q.seq, msg); err != nil {
			return "", err
		}
	}
	if len(failed) == 0 {
		return "", nil
	}
	return fmt.Sprintf("Catch-up of %s: %d of %d queued changes failed and stay queued. First error: %s",
		rm.name, len(failed), len(qs), strings.TrimSpace(failed[0])), nil
}
