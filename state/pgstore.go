package state

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ensureSchema creates the schema and tables unless they all exist. Two
// processes starting at once are serialised by a transaction-level advisory
// lock, so neither trips over the other's CREATE. b.mu must be held.
func (b *PG) ensureSchema(ctx context.Context) error {
	conn, err := b.dataConn(ctx)
	if err != nil {
		return err
	}
	var missing bool
	err = conn.QueryRow(ctx, `SELECT to_regclass($1) IS NULL OR to_regclass($2) IS NULL OR to_regclass($3) IS NULL`,
		b.table("states"), b.table("locks"), b.table("journal")).Scan(&missing)
	if err != nil || !missing {
		return b.scrub(err)
	}
	b.opts.logger.Debug("creating state schema", "schema", b.schema)
	return b.scrub(pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, advisoryKey("dwctl schema", b.schema)); err != nil {
			return err
		}
		for _, stmt := range b.schemaStatements() {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("creating state schema %s: %w", b.schema, err)
			}
		}
		return nil
	}))
}

func (b *PG) schemaStatements() []string {
	return []string{
		`CREATE SCHEMA IF NOT EXISTS ` + pgx.Identifier{b.schema}.Sanitize(),
		`CREATE TABLE IF NOT EXISTS ` + b.table("states") + ` (
			workspace text PRIMARY KEY,
			lineage   text   NOT NULL,
			serial    bigint NOT NULL,
			body      json   NOT NULL,
			updated   timestamptz NOT NULL DEFAULT now())`,
		`CREATE TABLE IF NOT EXISTS ` + b.table("locks") + ` (
			workspace   text PRIMARY KEY,
			id          text    NOT NULL,
			who         text    NOT NULL,
			host        text    NOT NULL,
			pid         integer NOT NULL,
			operation   text    NOT NULL,
			created     timestamptz NOT NULL,
			backend_pid integer NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS ` + b.table("journal") + ` (
			workspace text NOT NULL,
			seq       bigserial,
			time      timestamptz NOT NULL,
			address   text   NOT NULL,
			action    text   NOT NULL,
			result    text   NOT NULL,
			message   text   NOT NULL,
			serial    bigint NOT NULL,
			PRIMARY KEY (workspace, seq))`,
	}
}

// Get reads the workspace's state row.
func (b *PG) Get(ctx context.Context) (*State, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	conn, err := b.dataConn(ctx)
	if err != nil {
		return nil, err
	}
	var body []byte
	err = conn.QueryRow(ctx, `SELECT body FROM `+b.table("states")+` WHERE workspace = $1`, b.workspace).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNoState
	}
	if err != nil {
		return nil, b.scrub(fmt.Errorf("reading state: %w", err))
	}
	s, err := Decode(body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b, err)
	}
	return s, nil
}

// Put stores s with a single conditional INSERT or UPDATE: the row changes
// only if its lineage and serial are still the ones s was based on.
func (b *PG) Put(ctx context.Context, s *State) error {
	if err := b.opts.guard.CheckState(s); err != nil {
		return err
	}
	next := s.Clone()
	next.Serial++
	data, err := Encode(next)
	if err != nil {
		return err
	}
	err = b.write(ctx, func(tx pgx.Tx) error {
		return b.putTx(ctx, tx, s, data)
	})
	if err != nil {
		return err
	}
	s.Serial = next.Serial
	return nil
}

func (b *PG) putTx(ctx context.Context, tx pgx.Tx, s *State, data []byte) error {
	var (
		tag interface{ RowsAffected() int64 }
		err error
	)
	if s.Serial == 0 {
		tag, err = tx.Exec(ctx, `INSERT INTO `+b.table("states")+` (workspace, lineage, serial, body)
			VALUES ($1, $2, 1, $3) ON CONFLICT (workspace) DO NOTHING`, b.workspace, s.Lineage, string(data))
	} else {
		tag, err = tx.Exec(ctx, `UPDATE `+b.table("states")+` SET serial = serial + 1, body = $4, updated = now()
			WHERE workspace = $1 AND lineage = $2 AND serial = $3`, b.workspace, s.Lineage, int64(s.Serial), string(data))
	}
	if err != nil {
		return fmt.Errorf("writing state: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var stored *ConflictError
	var serial int64
	var lineage string
	err = tx.QueryRow(ctx, `SELECT lineage, serial FROM `+b.table("states")+` WHERE workspace = $1`, b.workspace).Scan(&lineage, &serial)
	switch {
	case err == nil:
		stored = &ConflictError{StoredLineage: lineage, StoredSerial: uint64(serial)}
	case !errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("reading state: %w", err)
	}
	if err := checkBase(stored, s); err != nil {
		return err
	}
	return errors.New("writing state: the conditional write changed no row; run the command again")
}

// write runs fn in a transaction on the data connection after checking the
// lock: it must be held by this PG, or by nobody.
func (b *PG) write(ctx context.Context, fn func(pgx.Tx) error) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	conn, err := b.dataConn(ctx)
	if err != nil {
		return err
	}
	return b.scrub(pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		holder, err := b.holderPID(ctx, tx)
		if err != nil {
			return err
		}
		switch {
		case b.lock != nil && holder != b.lock.pid:
			return ErrLockLost
		case b.lock == nil && holder != 0:
			held, err := b.heldError(ctx, tx, holder)
			if err != nil {
				return err
			}
			if held != nil {
				return held
			}
		}
		return fn(tx)
	}))
}

// AppendJournal inserts the entries in order.
func (b *PG) AppendJournal(ctx context.Context, entries ...JournalEntry) error {
	clean := make([]JournalEntry, 0, len(entries))
	for _, e := range entries {
		e, err := b.opts.guard.RedactJournal(e.normalized())
		if err != nil {
			return err
		}
		clean = append(clean, e)
	}
	if len(clean) == 0 {
		return nil
	}
	return b.write(ctx, func(tx pgx.Tx) error {
		for _, e := range clean {
			_, err := tx.Exec(ctx, `INSERT INTO `+b.table("journal")+` (workspace, time, address, action, result, message, serial)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				b.workspace, e.Time, e.Address, e.Action, string(e.Result), e.Message, int64(e.Serial))
			if err != nil {
				return fmt.Errorf("appending to journal: %w", err)
			}
		}
		return nil
	})
}

// Journal reads the workspace's journal in insertion order.
func (b *PG) Journal(ctx context.Context) ([]JournalEntry, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	conn, err := b.dataConn(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, `SELECT time, address, action, result, message, serial FROM `+b.table("journal")+`
		WHERE workspace = $1 ORDER BY seq`, b.workspace)
	if err != nil {
		return nil, b.scrub(fmt.Errorf("reading journal: %w", err))
	}
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (JournalEntry, error) {
		var e JournalEntry
		var serial int64
		err := row.Scan(&e.Time, &e.Address, &e.Action, &e.Result, &e.Message, &serial)
		e.Serial = uint64(serial)
		e.Time = e.Time.UTC()
		return e, err
	})
	return entries, b.scrub(err)
}
