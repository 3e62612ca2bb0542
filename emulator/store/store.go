package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// DatabaseFileName is the name of the embedded database file, inside the data directory, that holds
// everything a pair stores: rows, metadata, key indexes and settings.
const DatabaseFileName = "emulator.db"

const schemaSQL = `
CREATE TABLE IF NOT EXISTS rows (
  svc TEXT NOT NULL, tbl TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (svc, tbl, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS keyindex (
  svc TEXT NOT NULL, tbl TEXT NOT NULL, keyname TEXT NOT NULL, value TEXT NOT NULL, id TEXT NOT NULL,
  PRIMARY KEY (svc, tbl, keyname, value)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS keyindex_id ON keyindex (svc, tbl, id);
CREATE TABLE IF NOT EXISTS tables (
  svc TEXT NOT NULL, name TEXT NOT NULL, def TEXT NOT NULL, PRIMARY KEY (svc, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, svc TEXT NOT NULL, tbl TEXT NOT NULL, id TEXT NOT NULL, deleted INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS changes_tbl ON changes (svc, tbl, seq);
`

// Store is the persistent store of one pair: rows of both services kept generically (service, table,
// id, version, JSON), the table metadata, the alternate-key indexes and named settings, in one SQLite
// file. Writes are serialised; reads run concurrently. See doc.go for how to use it.
type Store struct {
	db      *sql.DB
	stmts   sync.Map   // query text → *sql.Stmt
	wmu     sync.Mutex // serialises write transactions
	version atomic.Int64

	// writes counts the writes of each table ("svc/table" → *atomic.Int64),
	// so that a cached page cursor can tell the table did not change.
	writes sync.Map

	mu     sync.RWMutex
	tables map[Service]map[string]*Table // by lowercase name
	sets   map[Service]map[string]*Table // by entity set name (Dataverse exact, F&O lowercase)
}

// Row is one stored row. Data holds the columns in the service's JSON form (Dataverse lookups as
// _x_value GUIDs, F&O enums as member names); ID is the Dataverse primary key GUID or, for F&O, the
// canonical form of the entity key (see Store.FinOpsID).
type Row struct {
	ID      string
	Version int64
	Data    map[string]any
}

// KeyConflictError reports a write that would give two rows the same value of a unique key.
type KeyConflictError struct {
	Table, Key string
	Columns    []string
	ExistingID string
}

// Error names the key and its columns.
func (e *KeyConflictError) Error() string {
	return fmt.Sprintf("entity key %s of %s violated: a row with the same values of %v already exists", e.Key, e.Table, e.Columns)
}

type txKey struct{}

// Open opens (creating if needed) the database file at path.
func Open(path string) (*Store, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	if _, err := db.Exec(schemaSQL); err != nil {
		db.Close()
		return nil, fmt.Errorf("creating the schema in %s: %w", path, err)
	}
	s := &Store{db: db}
	if err := s.load(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) load() error {
	var max sql.NullInt64
	if err := s.db.QueryRow(`SELECT max(version) FROM rows`).Scan(&max); err != nil {
		return err
	}
	s.version.Store(max.Int64)
	s.tables = map[Service]map[string]*Table{Dataverse: {}, FinOps: {}}
	s.sets = map[Service]map[string]*Table{Dataverse: {}, FinOps: {}}
	rs, err := s.db.Query(`SELECT def FROM tables`)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var def string
		if err := rs.Scan(&def); err != nil {
			return err
		}
		var t Table
		if err := json.Unmarshal([]byte(def), &t); err != nil {
			return fmt.Errorf("stored table definition: %w", err)
		}
		s.cache(&t)
	}
	return rs.Err()
}

// Close checkpoints and closes the database.
func (s *Store) Close() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	_, _ = s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	return s.db.Close()
}

// Update runs fn in one write transaction: everything fn writes through the context it receives is
// committed together, or rolled back when fn returns an error. Nested calls join the outer transaction.
func (s *Store) Update(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return fn(ctx)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // after Commit a no-op; on an error or a panic in fn it undoes fn
	if err := fn(context.WithValue(ctx, txKey{}, tx)); err != nil {
		return err
	}
	return tx.Commit()
}

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// q returns the querier of ctx: its transaction, or the database. Statements are prepared once and
// reused (per connection, by database/sql).
func (s *Store) q(ctx context.Context) querier {
	tx, _ := ctx.Value(txKey{}).(*sql.Tx)
	return preparedQuerier{s: s, tx: tx}
}

type preparedQuerier struct {
	s  *Store
	tx *sql.Tx
}

func (p preparedQuerier) plain() querier {
	if p.tx != nil {
		return p.tx
	}
	return p.s.db
}

func (p preparedQuerier) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	v, ok := p.s.stmts.Load(query)
	if !ok {
		st, err := p.s.db.PrepareContext(context.WithoutCancel(ctx), query)
		if err != nil {
			return nil, err
		}
		if v, ok = p.s.stmts.LoadOrStore(query, st); ok {
			st.Close()
		} else {
			v = st
		}
	}
	if p.tx != nil {
		return p.tx.StmtContext(ctx, v.(*sql.Stmt)), nil
	}
	return v.(*sql.Stmt), nil
}

// ExecContext runs a prepared statement.
func (p preparedQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return p.plain().ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext runs a prepared query.
func (p preparedQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return p.plain().QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs a prepared single-row query.
func (p preparedQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return p.plain().QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// Get returns the row with id, and whether it exists.
func (s *Store) Get(ctx context.Context, svc Service, table, id string) (Row, bool, error) {
	var r Row
	var data string
	err := s.q(ctx).QueryRowContext(ctx, `SELECT id, version, data FROM rows WHERE svc=? AND tbl=? AND id=?`,
		string(svc), table, id).Scan(&r.ID, &r.Version, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return Row{}, false, nil
	}
	if err != nil {
		return Row{}, false, err
	}
	return r, true, json.Unmarshal([]byte(data), &r.Data)
}

// Put writes row into t (insert or replace), gives it the next version and keeps the key indexes of
// t's active keys; it fails with *KeyConflictError when another row holds the same key values.
func (s *Store) Put(ctx context.Context, t *Table, row Row) (int64, error) {
	var version int64
	err := s.Update(ctx, func(ctx context.Context) error {
		if err := s.index(ctx, t, row); err != nil {
			return err
		}
		s.touch(t.Service, t.Name)
		version = s.version.Add(1)
		data, err := json.Marshal(row.Data)
		if err != nil {
			return err
		}
		_, err = s.q(ctx).ExecContext(ctx, `INSERT OR REPLACE INTO rows (svc, tbl, id, version, data) VALUES (?,?,?,?,?)`,
			string(t.Service), t.Name, row.ID, version, string(data))
		if err != nil {
			return err
		}
		return s.recordChange(ctx, t, row.ID, false)
	})
	return version, err
}

// Delete removes the row with id from t and its key index entries; it reports whether it existed.
func (s *Store) Delete(ctx context.Context, t *Table, id string) (bool, error) {
	var n int64
	err := s.Update(ctx, func(ctx context.Context) error {
		s.touch(t.Service, t.Name)
		res, err := s.q(ctx).ExecContext(ctx, `DELETE FROM rows WHERE svc=? AND tbl=? AND id=?`, string(t.Service), t.Name, id)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = s.q(ctx).ExecContext(ctx, `DELETE FROM keyindex WHERE svc=? AND tbl=? AND id=?`, string(t.Service), t.Name, id)
		if err != nil || n == 0 {
			return err
		}
		return s.recordChange(ctx, t, id, true)
	})
	return n > 0, err
}

// touch counts a write of a table (before it commits: a reader may see the
// count move before the row, never the reverse).
func (s *Store) touch(svc Service, table string) {
	c, _ := s.writes.LoadOrStore(string(svc)+"/"+table, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
}

// Writes returns how many writes a table has had since the store opened.
func (s *Store) Writes(svc Service, table string) int64 {
	c, ok := s.writes.Load(string(svc) + "/" + table)
	if !ok {
		return 0
	}
	return c.(*atomic.Int64).Load()
}

// Scan calls fn for the rows of a table in id order, starting after afterID ("" = from the start),
// until fn returns false or an error.
func (s *Store) Scan(ctx context.Context, svc Service, table, afterID string, fn func(Row) (bool, error)) error {
	rs, err := s.q(ctx).QueryContext(ctx, `SELECT id, version, data FROM rows WHERE svc=? AND tbl=? AND id>? ORDER BY id`,
		string(svc), table, afterID)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var r Row
		var data []byte
		if err := rs.Scan(&r.ID, &r.Version, &data); err != nil {
			return err
		}
		if err := json.Unmarshal(data, &r.Data); err != nil {
			return err
		}
		more, err := fn(r)
		if err != nil || !more {
			return err
		}
	}
	return rs.Err()
}

// Count returns the number of rows of a table.
func (s *Store) Count(ctx context.Context, svc Service, table string) (int, error) {
	var n int
	err := s.q(ctx).QueryRowContext(ctx, `SELECT count(*) FROM rows WHERE svc=? AND tbl=?`, string(svc), table).Scan(&n)
	return n, err
}

// Setting returns a named setting ("" when unset).
func (s *Store) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.q(ctx).QueryRowContext(ctx, `SELECT value FROM settings WHERE name=?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting stores a named setting.
func (s *Store) SetSetting(ctx context.Context, name, value string) error {
	return s.Update(ctx, func(ctx context.Context) error {
		_, err := s.q(ctx).ExecContext(ctx, `INSERT OR REPLACE INTO settings (name, value) VALUES (?,?)`, name, value)
		return err
	})
}

// InTransaction reports whether ctx carries a write transaction of Update.
func InTransaction(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*sql.Tx)
	return ok
}

// CopyTo writes a consistent copy of the database to the file path (VACUUM INTO), as a database
// refresh copies a production database into a sandbox.
func (s *Store) CopyTo(ctx context.Context, path string) error {
	_, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

type dualWriteKey struct{}

// AsDualWrite marks ctx as dual-write's own: writes made with it (the live-sync runtime, initial
// syncs, the control plane, seeding) do not trigger live sync again.
func AsDualWrite(ctx context.Context) context.Context {
	return context.WithValue(ctx, dualWriteKey{}, true)
}

// ByDualWrite reports whether ctx was marked by AsDualWrite.
func ByDualWrite(ctx context.Context) bool {
	on, _ := ctx.Value(dualWriteKey{}).(bool)
	return on
}

// DeleteSetting removes a named value.
func (s *Store) DeleteSetting(ctx context.Context, name string) error {
	return s.Update(ctx, func(ctx context.Context) error {
		_, err := s.q(ctx).ExecContext(ctx, `DELETE FROM settings WHERE name=?`, name)
		return err
	})
}

// Settings returns the named values whose names start with prefix.
func (s *Store) Settings(ctx context.Context, prefix string) (map[string]string, error) {
	rs, err := s.q(ctx).QueryContext(ctx, `SELECT name, value FROM settings WHERE name >= ? AND name < ?`, prefix, prefix+"\U0010FFFF")
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := map[string]string{}
	for rs.Next() {
		var k, v string
		if err := rs.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rs.Err()
}
