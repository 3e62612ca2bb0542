package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// The queue of paused maps: the live-sync runtime keeps every change a paused map would carry, in
// order, in the table runtimequeue, so it survives a restart and a database refresh copies it.

const queueSchemaSQL = `CREATE TABLE IF NOT EXISTS runtimequeue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, pid TEXT NOT NULL, change TEXT NOT NULL, error TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS runtimequeue_pid ON runtimequeue (pid, seq);`

// Queued is one entry of a map's queue: the change as JSON and, once a replay failed, why.
type Queued struct {
	Seq    int64
	Change json.RawMessage
	Error  string
}

// EnsureQueue creates the queue table when the database has none.
func (s *Store) EnsureQueue() error {
	_, err := s.db.Exec(queueSchemaSQL)
	return err
}

// Enqueue appends change (marshalled as JSON) to the queue of project pid, in the transaction of ctx.
func (s *Store) Enqueue(ctx context.Context, pid string, change any) error {
	data, err := json.Marshal(change)
	if err != nil {
		return err
	}
	return s.Update(ctx, func(ctx context.Context) error {
		_, err := s.q(ctx).ExecContext(ctx, `INSERT INTO runtimequeue (pid, change) VALUES (?,?)`, pid, string(data))
		return err
	})
}

// Queue returns the queue of project pid in order.
func (s *Store) Queue(ctx context.Context, pid string) ([]Queued, error) {
	rs, err := s.q(ctx).QueryContext(ctx, `SELECT seq, change, error FROM runtimequeue WHERE pid=? ORDER BY seq`, pid)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []Queued
	for rs.Next() {
		var q Queued
		var data string
		if err := rs.Scan(&q.Seq, &data, &q.Error); err != nil {
			return nil, err
		}
		if !json.Valid([]byte(data)) {
			return nil, fmt.Errorf("queued change %d is not JSON", q.Seq)
		}
		q.Change = json.RawMessage(data)
		out = append(out, q)
	}
	return out, rs.Err()
}

// SettleQueued removes a replayed change, or records why it failed.
func (s *Store) SettleQueued(ctx context.Context, seq int64, failure string) error {
	if failure == "" {
		_, err := s.q(ctx).ExecContext(ctx, `DELETE FROM runtimequeue WHERE seq=?`, seq)
		return err
	}
	_, err := s.q(ctx).ExecContext(ctx, `UPDATE runtimequeue SET error=? WHERE seq=?`, failure, seq)
	return err
}

// DiscardQueue empties the queue of project pid.
func (s *Store) DiscardQueue(ctx context.Context, pid string) error {
	_, err := s.q(ctx).ExecContext(ctx, `DELETE FROM runtimequeue WHERE pid=?`, pid)
	return err
}

// InSavepoint runs fn inside a savepoint of the transaction of ctx; when fn reports failure, what it
// wrote is undone and the transaction goes on.
func (s *Store) InSavepoint(ctx context.Context, fn func() bool) error {
	tx, ok := ctx.Value(txKey{}).(*sql.Tx)
	if !ok {
		return errors.New("store: a savepoint needs a transaction")
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
