package state

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// PGConfig configures the pg backend.
type PGConfig struct {
	Conn      string // PostgreSQL URL or key=value connection string; a secret
	Workspace string // names this configuration's state; default "default"
	Schema    string // schema holding dwctl's tables; default "dwctl"
}

// PG is the PostgreSQL backend. Each workspace has one row in SCHEMA.states,
// written only by a conditional update on its lineage and serial; the lock is
// a session-level pg_advisory_lock held on a connection dedicated to it, with
// the holder described in SCHEMA.locks; the journal is SCHEMA.journal. The
// tables are created on first use.
type PG struct {
	cfg       *pgx.ConnConfig
	secret    []string
	workspace string
	schema    string
	key       int64 // the advisory lock key of the workspace
	opts      options

	mu   sync.Mutex
	conn *pgx.Conn // for reads and writes; reconnected when broken
	lock *pgLock   // the lock this PG holds, or nil
}

type pgLock struct {
	conn *pgx.Conn
	id   string
	pid  uint32 // the server process of conn
	info LockInfo
}

var schemaPattern = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// NewPG connects to PostgreSQL and creates the schema if it is missing.
// The conn setting and its password count as secrets (see WithSecrets).
// Without a connect_timeout in the conn setting, connecting gives up after
// 30s. The connection must reach PostgreSQL directly or through a
// session-mode pooler: a transaction-mode pooler cannot hold a session lock.
func NewPG(ctx context.Context, c PGConfig, opts ...Option) (*PG, error) {
	if c.Conn == "" {
		return nil, errors.New(`state "pg": the conn setting is required`)
	}
	if c.Workspace == "" {
		c.Workspace = "default"
	}
	if c.Schema == "" {
		c.Schema = "dwctl"
	}
	if !schemaPattern.MatchString(c.Schema) {
		return nil, fmt.Errorf(`state "pg": schema %q must be a lower-case SQL identifier`, c.Schema)
	}
	cfg, err := pgx.ParseConfig(c.Conn)
	if err != nil {
		return nil, connParseError(err, c.Conn)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 30 * time.Second
	}
	b := &PG{
		cfg:       cfg,
		secret:    []string{c.Conn, cfg.Password},
		workspace: c.Workspace,
		schema:    c.Schema,
		key:       advisoryKey("dwctl state", c.Schema, c.Workspace),
		opts:      collect(opts),
	}
	b.opts.guard = NewGuard(append(b.opts.secrets, b.secret...)...)
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.ensureSchema(ctx); err != nil {
		b.closeConn()
		return nil, err
	}
	return b, nil
}

// connParseError explains a bad conn setting without repeating it: parse
// errors may quote the connection string, password included.
func connParseError(err error, conn string) error {
	inner := err
	for u := errors.Unwrap(inner); u != nil; u = errors.Unwrap(inner) {
		inner = u
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		inner = ue.Err
	}
	msg := strings.ReplaceAll(inner.Error(), conn, "(conn)")
	return fmt.Errorf(`state "pg": the conn setting is not a valid PostgreSQL connection string: %s`, msg)
}

// advisoryKey derives a 64-bit advisory lock key from names.
func advisoryKey(names ...string) int64 {
	h := fnv.New64a()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
	}
	return int64(h.Sum64())
}

// String names the workspace, schema, database and host, never the conn
// setting.
func (b *PG) String() string {
	return fmt.Sprintf("pg state workspace %q (schema %s, database %s on %s)", b.workspace, b.schema, b.cfg.Database, b.cfg.Host)
}

func (b *PG) table(name string) string { return pgx.Identifier{b.schema, name}.Sanitize() }

// scrub keeps the conn setting and password out of an error message.
func (b *PG) scrub(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := msg
	for _, s := range b.secret {
		if s != "" {
			clean = strings.ReplaceAll(clean, s, "(redacted)")
		}
	}
	if clean == msg {
		return err
	}
	return &scrubbedError{msg: clean, err: err}
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// dataConn returns the connection for reads and writes, connecting if
// needed. b.mu must be held.
func (b *PG) dataConn(ctx context.Context) (*pgx.Conn, error) {
	if b.conn != nil && !b.conn.IsClosed() {
		return b.conn, nil
	}
	conn, err := pgx.ConnectConfig(ctx, b.cfg)
	if err != nil {
		return nil, b.scrub(fmt.Errorf("pg state backend: %w", err))
	}
	b.conn = conn
	return conn, nil
}

func (b *PG) closeConn() {
	if b.conn != nil {
		_ = b.conn.Close(context.Background())
		b.conn = nil
	}
}

// Close releases the lock this PG holds, if any, and its connections.
func (b *PG) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var err error
	if b.lock != nil {
		err = b.releaseLocked(context.Background())
	}
	b.closeConn()
	return err
}
