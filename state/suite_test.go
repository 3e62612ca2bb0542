package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
)

// store is one place a state lives. open returns a new Backend on it, as a
// separate process would have; dump returns every byte stored there.
type store struct {
	open func(t *testing.T, opts ...Option) Backend
	dump func(t *testing.T) string
}

// storeFactory makes a fresh, empty store for one test.
type storeFactory func(t *testing.T) store

func localStore(t *testing.T) store {
	dir := t.TempDir()
	path := filepath.Join(dir, ".dwctl", "state.json")
	return store{
		open: func(t *testing.T, opts ...Option) Backend {
			b := NewLocal(path, opts...)
			t.Cleanup(func() { b.Close() })
			return b
		},
		dump: func(t *testing.T) string {
			var all strings.Builder
			err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := os.ReadFile(p)
				all.Write(data)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return all.String()
		},
	}
}

var workspaceSeq atomic.Int64

func pgStore(t *testing.T) store {
	workspace := fmt.Sprintf("test-%d", workspaceSeq.Add(1))
	return store{
		open: func(t *testing.T, opts ...Option) Backend {
			b, err := NewPG(context.Background(), PGConfig{Conn: pgServer.URL, Workspace: workspace}, opts...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			return b
		},
		dump: func(t *testing.T) string {
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, pgServer.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			var all string
			err = conn.QueryRow(ctx, `SELECT coalesce(string_agg(x, '|'), '') FROM (
				SELECT body::text AS x FROM dwctl.states WHERE workspace = $1
				UNION ALL SELECT row_to_json(l)::text FROM dwctl.locks l WHERE workspace = $1
				UNION ALL SELECT row_to_json(j)::text FROM dwctl.journal j WHERE workspace = $1) AS rows`,
				workspace).Scan(&all)
			if err != nil {
				t.Fatal(err)
			}
			return all
		},
	}
}

func TestBackends(t *testing.T) {
	for name, newStore := range map[string]storeFactory{"local": localStore, "pg": pgStore} {
		t.Run(name, func(t *testing.T) {
			for test, run := range backendSuite {
				t.Run(test, func(t *testing.T) { run(t, newStore(t)) })
			}
		})
	}
}

// backendSuite is what every Backend must do, whatever it stores in.
var backendSuite = map[string]func(t *testing.T, st store){
	"get before any put":        testGetEmpty,
	"put and get round trip":    testRoundTrip,
	"serial conflict refused":   testSerialConflict,
	"concurrent puts":           testConcurrentPuts,
	"two first writes":          testFirstWriteRace,
	"lineage mismatch refused":  testLineageMismatch,
	"held lock fails fast":      testLockHeld,
	"writes refused while held": testWritesWhileHeld,
	"lock timeout waits":        testLockWaits,
	"lock timeout expires":      testLockTimeoutExpires,
	"force unlock":              testForceUnlock,
	"unlock rules":              testUnlockRules,
	"close releases lock":       testCloseReleases,
	"journal append order":      testJournalOrder,
	"no secret persisted":       testNoSecret,
}

func sampleState() *State {
	s := New()
	s.SetObject("company.USMF", Object{
		Identity:    map[string]string{"company": "USMF"},
		Fingerprint: "sha256:0a1b",
		Attributes:  json.RawMessage(`{"name":"Contoso US","currency":"USD"}`),
	})
	s.SetObject("table_map.customers", Object{
		Identity:    map[string]string{"finops": "CustomersV3", "dataverse": "accounts"},
		Fingerprint: "sha256:99ff",
	})
	s.SetCheckpoint("initial_sync.table_map.customers", Checkpoint{
		Cursor:  "skiptoken=3",
		Counts:  map[string]int64{"created": 1200, "updated": 3},
		Updated: time.Date(2026, 11, 24, 21, 0, 0, 0, time.UTC),
	})
	return s
}

func mustPut(t *testing.T, b Backend, s *State) {
	t.Helper()
	if err := b.Put(context.Background(), s); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

func mustGet(t *testing.T, b Backend) *State {
	t.Helper()
	s, err := b.Get(context.Background())
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	return s
}

func mustLock(t *testing.T, b Backend, op string) string {
	t.Helper()
	id, err := b.Lock(context.Background(), LockInfo{Operation: op})
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	return id
}

func testGetEmpty(t *testing.T, st store) {
	b := st.open(t)
	if _, err := b.Get(context.Background()); !errors.Is(err, ErrNoState) {
		t.Fatalf("Get = %v, want ErrNoState", err)
	}
	s, err := GetOrNew(context.Background(), b)
	if err != nil || s.Serial != 0 || len(s.Objects) != 0 {
		t.Fatalf("GetOrNew = %+v, %v; want a new empty state", s, err)
	}
}

func testRoundTrip(t *testing.T, st store) {
	b := st.open(t)
	s := sampleState()
	mustPut(t, b, s)
	if s.Serial != 1 {
		t.Errorf("serial after first Put = %d, want 1", s.Serial)
	}
	if diff := cmp.Diff(s, mustGet(t, st.open(t))); diff != "" {
		t.Fatalf("Get after Put (-put +got):\n%s", diff)
	}
	s.RemoveObject("company.USMF")
	mustPut(t, b, s)
	got := mustGet(t, b)
	if diff := cmp.Diff(s, got); diff != "" || got.Serial != 2 {
		t.Fatalf("Get after second Put, serial %d (-put +got):\n%s", got.Serial, diff)
	}
}

func testSerialConflict(t *testing.T, st store) {
	a, b := st.open(t), st.open(t)
	mustPut(t, a, sampleState())
	sa, sb := mustGet(t, a), mustGet(t, b)
	sa.RemoveObject("company.USMF")
	mustPut(t, a, sa)
	sb.SetObject("company.DEMF", Object{Identity: map[string]string{"company": "DEMF"}})
	err := b.Put(context.Background(), sb)
	var conflict *ConflictError
	if !errors.As(err, &conflict) || !errors.Is(err, ErrSerialConflict) {
		t.Fatalf("Put from a stale serial = %v, want a serial *ConflictError", err)
	}
	want := &ConflictError{StoredLineage: sa.Lineage, StoredSerial: 2, GivenLineage: sa.Lineage, GivenSerial: 1}
	if diff := cmp.Diff(want, conflict); diff != "" {
		t.Errorf("conflict (-want +got):\n%s", diff)
	}
	if sb.Serial != 1 {
		t.Errorf("refused Put changed the caller's serial to %d", sb.Serial)
	}
	if diff := cmp.Diff(sa, mustGet(t, a)); diff != "" {
		t.Errorf("stored state after the refused Put (-first writer +got):\n%s", diff)
	}
}

func testFirstWriteRace(t *testing.T, st store) {
	a, b := st.open(t), st.open(t)
	first, second := sampleState(), sampleState()
	mustPut(t, a, first)
	if err := b.Put(context.Background(), second); !errors.Is(err, ErrLineageMismatch) {
		t.Fatalf("second first-write = %v, want a lineage mismatch", err)
	}
	if got := mustGet(t, a); got.Lineage != first.Lineage {
		t.Errorf("stored lineage %s, want the first writer's %s", got.Lineage, first.Lineage)
	}
}

func testLineageMismatch(t *testing.T, st store) {
	b := st.open(t)
	s := sampleState()
	mustPut(t, b, s)
	other := sampleState()
	other.Serial = s.Serial
	err := b.Put(context.Background(), other)
	if !errors.Is(err, ErrLineageMismatch) {
		t.Fatalf("Put with another lineage = %v, want ErrLineageMismatch", err)
	}
	if !strings.Contains(err.Error(), s.Lineage) || !strings.Contains(err.Error(), other.Lineage) {
		t.Errorf("error %q should name both lineages", err)
	}
}

// testConcurrentPuts has several processes write from the same serial at
// once: exactly one succeeds and the others are told why not.
func testConcurrentPuts(t *testing.T, st store) {
	mustPut(t, st.open(t), sampleState())
	const n = 6
	states := make([]*State, n)
	backends := make([]Backend, n)
	for i := range n {
		backends[i] = st.open(t)
		states[i] = mustGet(t, backends[i])
		states[i].SetObject(fmt.Sprintf("company.C%03d", i), Object{})
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = backends[i].Put(context.Background(), states[i]) })
	}
	wg.Wait()
	winners := 0
	for i, err := range errs {
		var held *LockHeldError
		switch {
		case err == nil:
			winners++
		case errors.Is(err, ErrSerialConflict), errors.As(err, &held):
		default:
			t.Errorf("Put %d = %v, want success, a serial conflict or a held lock", i, err)
		}
	}
	if got := mustGet(t, st.open(t)); winners != 1 || got.Serial != 2 || len(got.Objects) != 3 {
		t.Errorf("%d Puts succeeded and the state is at serial %d with %d objects; want 1, 2, 3", winners, got.Serial, len(got.Objects))
	}
}
