package control

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testState is a state with a link, two maps and a request.
func testState() *ctlState {
	st := &ctlState{Requests: map[string]*ctlRequest{}, Executions: map[string][]ctlExecution{}, SolutionRequests: map[string]*ctlSolutionRequest{}}
	st.Link = &ctlLink{CID: "cs1", Environment: "env", Dataset: "crm_x", Keys: map[string][]string{"account": {"accountnumber"}}, LegalEntities: []string{"usmf"}}
	for _, id := range []string{"t-a", "t-b"} {
		st.Maps = append(st.Maps, &ctlMap{Templates: []*ctlTemplate{{ID: id, Author: "Microsoft", Version: [4]int{1, 0, 0, 1},
			Def: ctlDef{FinOps: "CustomersV3", Dataverse: "accounts", Fields: []ctlField{{FinOps: "A", Dataverse: "a", Direction: 1}}}}}, Active: id, State: mapNotRunning})
	}
	st.Requests["r1"] = &ctlRequest{ID: "r1", Action: actStart, Templates: []string{"t-a"}, State: reqWaiting}
	return st
}

// write runs fn on the state in one store transaction, as a call that changes it does, and commits
// what it saved unless fn fails.
func write(t *testing.T, c *Plane, fn func(st *ctlState) error) error {
	t.Helper()
	var saved *ctlState
	_, gen := c.cache.get()
	err := c.store.Update(context.Background(), func(ctx context.Context) error {
		st, err := c.loadState(ctx)
		if err != nil {
			return err
		}
		if err := fn(st); err != nil {
			return err
		}
		if err := c.saveState(ctx, st); err != nil {
			return err
		}
		saved = st
		return nil
	})
	if err == nil {
		saved.base = nil
		c.cache.set(saved, gen)
	}
	return err
}

func stored(t *testing.T, c *Plane) map[string]string {
	t.Helper()
	kv, err := c.store.Settings(context.Background(), statePrefix)
	if err != nil {
		t.Fatal(err)
	}
	return kv
}

// TestStatePerObject: a call writes only the objects it changed; the state reads back the same
// from the store as from memory.
func TestStatePerObject(t *testing.T) {
	c := newTestPlane(t, "empty", 1)
	if err := write(t, c, func(st *ctlState) error { *st = *testState(); return nil }); err != nil {
		t.Fatal(err)
	}
	before := stored(t, c)
	if err := write(t, c, func(st *ctlState) error {
		st.Maps[1].State = mapRunning
		st.Maps[1].PID = "p-b"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	after := stored(t, c)
	var changed []string
	for k, v := range after {
		if before[k] != v {
			changed = append(changed, k)
		}
	}
	if diff := cmp.Diff([]string{mapPrefix + "t-b"}, changed); diff != "" {
		t.Errorf("entries written (-want +got):\n%s", diff)
	}
	fromStore, err := c.readState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fromMemory, _ := c.loadState(context.Background())
	opts := cmp.AllowUnexported(ctlState{})
	fromMemory.base = nil
	if diff := cmp.Diff(fromStore, fromMemory, opts); diff != "" {
		t.Errorf("store and memory differ (-store +memory):\n%s", diff)
	}
	if err := write(t, c, func(st *ctlState) error {
		st.Maps = st.Maps[1:]
		delete(st.Requests, "r1")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	after = stored(t, c)
	if _, ok := after[mapPrefix+"t-a"]; ok {
		t.Error("a removed map is still stored")
	}
	if _, ok := after[requestPrefix+"r1"]; ok {
		t.Error("a removed request is still stored")
	}
}

// TestStateRollback: a call that fails keeps nothing, in the store or in memory.
func TestStateRollback(t *testing.T) {
	c := newTestPlane(t, "empty", 1)
	if err := write(t, c, func(st *ctlState) error { *st = *testState(); return nil }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := c.store.Update(context.Background(), func(ctx context.Context) error {
		st, _ := c.loadState(ctx)
		st.Maps[0].State = mapRunning
		st.Link.LegalEntities = append(st.Link.LegalEntities, "demf")
		if err := c.saveState(ctx, st); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
	for name, load := range map[string]func() (*ctlState, error){
		"memory": func() (*ctlState, error) { return c.loadState(context.Background()) },
		"store":  func() (*ctlState, error) { return c.readState(context.Background()) },
	} {
		st, err := load()
		if err != nil {
			t.Fatal(err)
		}
		if st.Maps[0].State != mapNotRunning || len(st.Link.LegalEntities) != 1 {
			t.Errorf("%s: the failed call's changes are kept: state %d, legal entities %v", name, st.Maps[0].State, st.Link.LegalEntities)
		}
	}
}

// TestLegacyState: a data directory that kept the state in one entry reads it, and the next write
// replaces that entry with one per object.
func TestLegacyState(t *testing.T) {
	c := newTestPlane(t, "empty", 1)
	doc, _ := json.Marshal(testState())
	if err := c.store.SetSetting(context.Background(), legacyStateSetting, string(doc)); err != nil {
		t.Fatal(err)
	}
	c.cache.invalidate()
	st, err := c.loadState(context.Background())
	if err != nil || st.Link == nil || len(st.Maps) != 2 || st.Requests["r1"] == nil {
		t.Fatalf("legacy state not read: %v %+v", err, st)
	}
	if err := write(t, c, func(st *ctlState) error { st.Link.Created = time.Unix(0, 0).UTC(); return nil }); err != nil {
		t.Fatal(err)
	}
	kv := stored(t, c)
	if _, ok := kv[legacyStateSetting]; ok {
		t.Error("the legacy entry is still stored")
	}
	for _, k := range []string{linkKey, mapOrderKey, mapPrefix + "t-a", mapPrefix + "t-b", requestPrefix + "r1"} {
		if _, ok := kv[k]; !ok {
			t.Errorf("%s is not stored", k)
		}
	}
	c.cache.invalidate()
	if st, err := c.loadState(context.Background()); err != nil || len(st.Maps) != 2 || st.Maps[1].Active != "t-b" {
		t.Errorf("the migrated state does not read back: %v %+v", err, st)
	}
}
