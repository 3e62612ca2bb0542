package state

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestPGSchemaRace starts several backends on a new schema at once: all
// must succeed, whoever creates the tables.
func TestPGSchemaRace(t *testing.T) {
	const n = 6
	errs := make([]error, n)
	backends := make([]*PG, n)
	schema := fmt.Sprint("race_", workspaceSeq.Add(1))
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			backends[i], errs[i] = NewPG(context.Background(), PGConfig{Conn: pgServer.URL, Schema: schema, Workspace: fmt.Sprint("w", i)})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("backend %d: %v", i, err)
		}
		defer backends[i].Close()
	}
	for _, b := range backends {
		mustPut(t, b, sampleState())
	}
}

// TestPGHolderDies cuts the lock holder's connection, as a killed process
// would: PostgreSQL releases the advisory lock and the next Lock gets it.
func TestPGHolderDies(t *testing.T) {
	st := pgStore(t)
	a, b := st.open(t).(*PG), st.open(t)
	mustLock(t, a, "apply")
	a.mu.Lock()
	if err := a.lock.conn.PgConn().Conn().Close(); err != nil {
		t.Fatal(err)
	}
	a.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id, err := b.Lock(ctx, LockInfo{Operation: "apply"})
	if err != nil {
		t.Fatalf("Lock after the holder died = %v", err)
	}
	holder, err := b.LockHolder(context.Background())
	if err != nil || holder == nil || holder.ID != id {
		t.Fatalf("LockHolder = %+v, %v; want the new lock %s", holder, err, id)
	}
	if err := a.Put(context.Background(), sampleState()); !errors.Is(err, ErrLockLost) {
		t.Errorf("Put by the dead holder = %v, want ErrLockLost", err)
	}
}

// TestPGWorkspaces checks two workspaces in one database keep separate
// states, locks and journals.
func TestPGWorkspaces(t *testing.T) {
	one, two := pgStore(t), pgStore(t)
	a, b := one.open(t), two.open(t)
	mustPut(t, a, sampleState())
	mustLock(t, a, "apply")
	if err := a.AppendJournal(context.Background(), journalEntries()...); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(context.Background()); !errors.Is(err, ErrNoState) {
		t.Errorf("Get in the other workspace = %v, want ErrNoState", err)
	}
	if h, err := b.LockHolder(context.Background()); h != nil || err != nil {
		t.Errorf("LockHolder in the other workspace = %+v, %v; want unlocked", h, err)
	}
	if j, err := b.Journal(context.Background()); len(j) != 0 || err != nil {
		t.Errorf("Journal in the other workspace = %d entries, %v; want none", len(j), err)
	}
	mustLock(t, b, "apply")
	mustPut(t, b, New())
}

// TestPGConnNeverInErrors checks the conn setting, which holds a password,
// appears in no error.
func TestPGConnNeverInErrors(t *testing.T) {
	const password = "TopSecret99"
	tests := map[string]string{
		"refused":          "postgres://dwctl:" + password + "@127.0.0.1:1/db?connect_timeout=5",
		"bad port":         "postgres://dwctl:" + password + "@127.0.0.1:notaport/db",
		"bad URL":          "postgres://dwctl:" + password + "@[::1/db",
		"bad keyword form": "host=127.0.0.1 password=" + password + " port=x",
		"unquoted space":   "host=127.0.0.1 password='" + password,
	}
	for name, conn := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Open(context.Background(), "pg", map[string]string{"conn": conn})
			if err == nil {
				t.Fatal("Open succeeded")
			}
			if strings.Contains(err.Error(), password) {
				t.Errorf("error holds the password: %v", err)
			}
		})
	}
}

func TestOpenSettings(t *testing.T) {
	tests := map[string]struct {
		kind     string
		settings map[string]string
		want     string // part of the error, or of String() on success
	}{
		"local default":   {kind: "", want: "local state file " + DefaultLocalPath},
		"local path":      {kind: "local", settings: map[string]string{"path": "x/s.json"}, want: "local state file x/s.json"},
		"pg":              {kind: "pg", settings: map[string]string{"conn": "CONN", "workspace": "prod"}, want: `pg state workspace "prod" (schema dwctl`},
		"unknown kind":    {kind: "s3", want: `unknown state backend "s3"`},
		"unknown setting": {kind: "local", settings: map[string]string{"conn": "x"}, want: `unknown setting "conn"`},
		"pg without conn": {kind: "pg", want: "conn setting is required"},
		"pg bad schema":   {kind: "pg", settings: map[string]string{"conn": "CONN", "schema": "Drop Table"}, want: "lower-case SQL identifier"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if tc.settings["conn"] == "CONN" {
				tc.settings["conn"] = pgServer.URL
			}
			b, err := Open(context.Background(), tc.kind, tc.settings)
			got := ""
			if err != nil {
				got = err.Error()
			} else {
				got = b.String()
				b.Close()
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("Open = %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

// TestPGConnIsSecret checks the password of the conn setting is kept out of
// the state like any sensitive value given with WithSecrets.
func TestPGConnIsSecret(t *testing.T) {
	const password = "Pw-7731-x"
	conn := strings.Replace(pgServer.URL, "postgres@", "postgres:"+password+"@", 1)
	b, err := Open(context.Background(), "pg", map[string]string{"conn": conn, "workspace": "conn-secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s := sampleState()
	s.SetObject("link.main", Object{Identity: map[string]string{"note": "password " + password}})
	var se *SecretError
	if err := b.Put(context.Background(), s); !errors.As(err, &se) {
		t.Fatalf("Put of a state holding the conn password = %v, want *SecretError", err)
	}
	if strings.Contains(b.String(), password) {
		t.Errorf("String() = %q holds the password", b.String())
	}
}
