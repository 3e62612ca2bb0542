package livesync

import (
	"context"
	"strings"
	"sync/atomic"

	"github.com/dwctl/dwctl/emulator/copier"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/mapping"
)

// The live-sync runtime (DESIGN §8, dual-write.md §8): for every map whose runtime is registered, a
// write of the data plane on one side is carried to the other side inside the same store
// transaction, so a failure on the other side fails the original write and nothing is kept on
// either side (transactional coupling [D]). Paused maps queue the changes instead (runtime_queue.go)
// and replay them in order on resume [D].
//
// Behaviour and confidence:
//   - Only changes to mapped source columns (and the company) trigger a map [D since core 1.0.37].
//   - The source side's filter decides whether a row flows; a row it excludes is left alone on the
//     other side, also when an update moves it out of the filter [D for the filter, I for the rest].
//   - A write reaches the other side only through a map with a field in that direction, so a one-way
//     map ignores writes on its destination side [I].
//   - Rows of companies that are not linked, and company-less Dataverse rows of company-specific
//     tables, do not sync [D: the reason bootstrap exists].
//   - Deletes are carried over by integration key [D]; a missing row on the other side is no error [I].
//   - Writes made by dual-write itself (this runtime, initial sync, the control plane, seeding) do
//     not trigger dual-write again: no loops [I, dual-write.md §8.5].
//   - The other side's row is found by the integration key: Dataverse rows by scanning the table of
//     the company (O(rows) per write), F&O rows by their entity key.

// Map is a map whose runtime is registered, ready to carry changes.
type Map struct {
	PID, Name    string
	Queue        bool // paused or resuming: changes are queued, not carried
	FOSet, DVSet string
	Fields       []mapping.Field
	Compiled     *mapping.Compiled
	Key          []string     // the integration key of the Dataverse table
	Companies    []string     // the linked legal entities (upper case)
	Company      bool         // company-specific: both tables are striped
	ToDV, ToFO   bool         // whether any field flows that way
	FO, DV       *store.Table // the tables when the map was indexed
	Numeric      map[string]bool
}

// Change is one write of the data plane as the runtime carries or queues it: the row before (nil
// on create) and after (nil on delete), in stored form.
type Change struct {
	Side  store.Service  `json:"side"`
	Table string         `json:"table"`
	Old   map[string]any `json:"old,omitempty"`
	New   map[string]any `json:"new,omitempty"`
}

func indexKey(svc store.Service, table string) string { return string(svc) + "\x00" + table }

// Runtime carries the writes of the data plane through the registered maps.
type Runtime struct {
	sides copier.Sides
	index atomic.Pointer[map[string][]*Map] // the maps by the tables they read

	// Hooks of the control plane, optional. Pending runs before a change is carried (an alert's
	// action waiting to be taken); Failed is told that a change could not be carried; CompanyNames
	// gives the name and cdm_company id of an F&O company code.
	Pending      func(ctx context.Context) error
	Failed       func()
	CompanyNames func(ctx context.Context, code string) (name, id string, err error)
}

// New returns a runtime over sides with no maps registered.
func New(sides copier.Sides) *Runtime {
	rt := &Runtime{sides: sides}
	rt.SetMaps(nil)
	return rt
}

// SetMaps registers the maps whose runtime runs, is paused or resumes, replacing the previous ones.
func (rt *Runtime) SetMaps(maps []*Map) {
	idx := map[string][]*Map{}
	for _, m := range maps {
		if m.ToDV {
			k := indexKey(store.FinOps, m.FO.Name)
			idx[k] = append(idx[k], m)
		}
		if m.ToFO {
			k := indexKey(store.Dataverse, m.DV.Name)
			idx[k] = append(idx[k], m)
		}
	}
	rt.index.Store(&idx)
}

func (rt *Runtime) maps(t *store.Table) []*Map {
	return (*rt.index.Load())[indexKey(t.Service, t.Name)]
}

// Before reads the row a write is about to replace when a map may carry the write (nil otherwise,
// or when the row is new).
func (rt *Runtime) Before(ctx context.Context, t *store.Table, id string) map[string]any {
	if !rt.watches(ctx, t) {
		return nil
	}
	row, found, err := rt.sides.Store.Get(ctx, t.Service, t.Name, id)
	if err != nil || !found {
		return nil
	}
	return row.Data
}

func (rt *Runtime) watches(ctx context.Context, t *store.Table) bool {
	return !store.ByDualWrite(ctx) && len(rt.maps(t)) > 0
}

// Written is the runtime's hook on a write of the data plane, called in the write's transaction
// after the row is stored (old nil on create, row nil on delete). Running maps carry the change
// now; paused or resuming maps queue it. An error fails the original write.
func (rt *Runtime) Written(ctx context.Context, t *store.Table, old, row map[string]any) *wire.Error {
	if !rt.watches(ctx, t) {
		return nil
	}
	if rt.Pending != nil {
		if err := rt.Pending(store.AsDualWrite(ctx)); err != nil {
			return wire.StoreError(err)
		}
	}
	ch := Change{Side: t.Service, Table: t.Name, Old: old, New: row}
	for _, m := range rt.maps(t) {
		if !m.triggered(t, ch) {
			continue
		}
		if m.Queue {
			if err := rt.sides.Store.Enqueue(ctx, m.PID, ch); err != nil {
				return wire.StoreError(err)
			}
			continue
		}
		if aerr := rt.Apply(store.AsDualWrite(ctx), m, ch); aerr != nil {
			if rt.Failed != nil {
				rt.Failed()
			}
			return aerr
		}
	}
	return nil
}

// triggered reports whether a change touches a column the map carries from the change's side: a
// created or deleted row always does, an update only through mapped columns or the company [D].
func (m *Map) triggered(t *store.Table, ch Change) bool {
	if ch.Old == nil || ch.New == nil {
		return true
	}
	differs := func(col string) bool { return mapping.Text(ch.Old[col]) != mapping.Text(ch.New[col]) }
	if t.CompanyColumn != "" {
		name := t.CompanyColumn
		if t.Service == store.Dataverse {
			name = store.LookupValueName(name)
		}
		if differs(name) {
			return true
		}
	}
	for _, f := range m.Fields {
		d := mapping.Direction(f.Direction)
		if ch.Side == store.FinOps && f.FinOps != "" && d != mapping.ToFinOps {
			if col, ok := t.Column(f.FinOps); ok && differs(col.Name) {
				return true
			}
		}
		if ch.Side == store.Dataverse && f.Dataverse != "" && d != mapping.ToDataverse {
			head, _, _ := strings.Cut(f.Dataverse, ".")
			col, ok := t.Column(head)
			if !ok {
				continue
			}
			name := col.Name
			if store.IsLookup(col.Type) {
				name = store.LookupValueName(name)
			}
			if differs(name) {
				return true
			}
		}
	}
	return false
}

// sourceRow is the row a change reads: its new form, or the old one for a delete.
func (ch Change) sourceRow() map[string]any {
	if ch.New != nil {
		return ch.New
	}
	return ch.Old
}

// linkedCompany reports whether the F&O company code is one of the map's linked legal entities.
func (m *Map) linkedCompany(code string) bool {
	return code != "" && wire.ContainsFold(m.Companies, code)
}

// finOpsSelected applies the F&O filter to an F&O row.
func (m *Map) finOpsSelected(data map[string]any) bool {
	ok, err := m.Compiled.FinOpsSelected(copier.FinOpsFilterRow(m.FO, m.Numeric, data))
	return err == nil && ok
}
