package pairstate

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/google/go-cmp/cmp"
)

// testState is a state with a link, two maps and a request.
func testState() *State {
	st := &State{Requests: map[string]*Request{}, Executions: map[string][]Execution{}, SolutionRequests: map[string]*SolutionRequest{}}
	st.Link = &Link{CID: "cs1", Environment: "env", Dataset: "crm_x", Keys: map[string][]string{"account": {"accountnumber"}}, LegalEntities: []string{"usmf"}}
	for _, id := range []string{"t-a", "t-b"} {
		st.Maps = append(st.Maps, &Map{Templates: []*Template{{ID: id, Author: "Microsoft", Version: [4]int{1, 0, 0, 1},
			Def: Def{FinOps: "CustomersV3", Dataverse: "accounts", Fields: []Field{{FinOps: "A", Dataverse: "a", Direction: 1}}}}}, Active: id, State: MapNotRunning})
	}
	st.Requests["r1"] = &Request{ID: "r1", Action: ActStart, Templates: []string{"t-a"}, State: ReqWaiting}
	return st
}

// newDB is an empty store.
func newDB(t *testing.T) *store.Store {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// load returns a copy of the committed state, as the control plane's calls get it.
func load(t *testing.T, ctx context.Context, db *store.Store, c *Cache) *State {
	t.Helper()
	base, gen := c.Get()
	if base == nil {
		var err error
		if base, err = Read(ctx, db); err != nil {
			t.Fatal(err)
		}
		if !store.InTransaction(ctx) {
			c.Set(base, gen)
		}
	}
	return base.Clone()
}

// write runs fn on the state in one store transaction, as a call that changes it does, and commits
// what it saved unless fn fails.
func write(t *testing.T, db *store.Store, c *Cache, fn func(st *State) error) error {
	t.Helper()
	var saved *State
	_, gen := c.Get()
	err := db.Update(context.Background(), func(ctx context.Context) error {
		st := load(t, ctx, db, c)
		if err := fn(st); err != nil {
			return err
		}
		if err := st.Save(ctx, db); err != nil {
			return err
		}
		saved = st
		return nil
	})
	if err == nil {
		saved.Detach()
		c.Set(saved, gen)
	}
	return err
}

func stored(t *testing.T, db *store.Store) map[string]string {
	t.Helper()
	kv, err := db.Settings(context.Background(), statePrefix)
	if err != nil {
		t.Fatal(err)
	}
	return kv
}

// TestStatePerObject: a call writes only the objects it changed; the state reads back the same
// from the store as from memory.
func TestStatePerObject(t *testing.T) {
	db, c := newDB(t), &Cache{}
	if err := write(t, db, c, func(st *State) error { *st = *testState(); return nil }); err != nil {
		t.Fatal(err)
	}
	before := stored(t, db)
	if err := write(t, db, c, func(st *State) error {
		st.Maps[1].State = MapRunning
		st.Maps[1].PID = "p-b"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	after := stored(t, db)
	var changed []string
	for k, v := range after {
		if before[k] != v {
			changed = append(changed, k)
		}
	}
	if diff := cmp.Diff([]string{mapPrefix + "t-b"}, changed); diff != "" {
		t.Errorf("entries written (-want +got):\n%s", diff)
	}
	fromStore, err := Read(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	fromMemory := load(t, context.Background(), db, c)
	opts := cmp.AllowUnexported(State{})
	fromMemory.base = nil
	if diff := cmp.Diff(fromStore, fromMemory, opts); diff != "" {
		t.Errorf("store and memory differ (-store +memory):\n%s", diff)
	}
	if err := write(t, db, c, func(st *State) error {
		st.Maps = st.Maps[1:]
		delete(st.Requests, "r1")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	after = stored(t, db)
	if _, ok := after[mapPrefix+"t-a"]; ok {
		t.Error("a removed map is still stored")
	}
	if _, ok := after[requestPrefix+"r1"]; ok {
		t.Error("a removed request is still stored")
	}
}

// TestStateRollback: a call that fails keeps nothing, in the store or in memory.
func TestStateRollback(t *testing.T) {
	db, c := newDB(t), &Cache{}
	if err := write(t, db, c, func(st *State) error { *st = *testState(); return nil }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := db.Update(context.Background(), func(ctx context.Context) error {
		st := load(t, ctx, db, c)
		st.Maps[0].State = MapRunning
		st.Link.LegalEntities = append(st.Link.LegalEntities, "demf")
		if err := st.Save(ctx, db); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
	for name, load := range map[string]func() (*State, error){
		"memory": func() (*State, error) { return load(t, context.Background(), db, c), nil },
		"store":  func() (*State, error) { return Read(context.Background(), db) },
	} {
		st, err := load()
		if err != nil {
			t.Fatal(err)
		}
		if st.Maps[0].State != MapNotRunning || len(st.Link.LegalEntities) != 1 {
			t.Errorf("%s: the failed call's changes are kept: state %d, legal entities %v", name, st.Maps[0].State, st.Link.LegalEntities)
		}
	}
}

// TestLegacyState: a data directory that kept the state in one entry reads it, and the next write
// replaces that entry with one per object.
func TestLegacyState(t *testing.T) {
	db, c := newDB(t), &Cache{}
	doc, _ := json.Marshal(testState())
	if err := db.SetSetting(context.Background(), legacyStateSetting, string(doc)); err != nil {
		t.Fatal(err)
	}
	c.Invalidate()
	st := load(t, context.Background(), db, c)
	if st.Link == nil || len(st.Maps) != 2 || st.Requests["r1"] == nil {
		t.Fatalf("legacy state not read: %+v", st)
	}
	if err := write(t, db, c, func(st *State) error { st.Link.Created = time.Unix(0, 0).UTC(); return nil }); err != nil {
		t.Fatal(err)
	}
	kv := stored(t, db)
	if _, ok := kv[legacyStateSetting]; ok {
		t.Error("the legacy entry is still stored")
	}
	for _, k := range []string{linkKey, mapOrderKey, mapPrefix + "t-a", mapPrefix + "t-b", requestPrefix + "r1"} {
		if _, ok := kv[k]; !ok {
			t.Errorf("%s is not stored", k)
		}
	}
	c.Invalidate()
	if st := load(t, context.Background(), db, c); len(st.Maps) != 2 || st.Maps[1].Active != "t-b" {
		t.Errorf("the migrated state does not read back: %+v", st)
	}
}
