package store

import (
	"context"
	"database/sql"
)

// Change is one entry of a table's change log: a row written or deleted.
type Change struct {
	Seq     int64
	ID      string
	Deleted bool
}

// recordChange appends to the change log of tables with change tracking enabled.
func (s *Store) recordChange(ctx context.Context, t *Table, id string, deleted bool) error {
	if !t.ChangeTracking {
		return nil
	}
	_, err := s.q(ctx).ExecContext(ctx, `INSERT INTO changes (svc, tbl, id, deleted) VALUES (?,?,?,?)`,
		string(t.Service), t.Name, id, deleted)
	return err
}

// LastChange returns the sequence number of the newest change of any table (0 when none).
func (s *Store) LastChange(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	err := s.q(ctx).QueryRowContext(ctx, `SELECT max(seq) FROM changes`).Scan(&n)
	return n.Int64, err
}

// Changes returns, per row of the table, its latest change after seq, in change order.
func (s *Store) Changes(ctx context.Context, svc Service, table string, after int64) ([]Change, error) {
	rs, err := s.q(ctx).QueryContext(ctx, `SELECT max(seq), id, deleted FROM changes c WHERE svc=? AND tbl=? AND seq>?
		AND seq = (SELECT max(seq) FROM changes d WHERE d.svc=c.svc AND d.tbl=c.tbl AND d.id=c.id)
		GROUP BY id ORDER BY max(seq)`, string(svc), table, after)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []Change
	for rs.Next() {
		var c Change
		if err := rs.Scan(&c.Seq, &c.ID, &c.Deleted); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rs.Err()
}
