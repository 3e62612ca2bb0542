package emulator

import (
	"context"
	"strings"

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

// runMap is a map whose runtime is registered, ready to carry changes.
type runMap struct {
	pid, name    string
	state        int
	foSet, dvSet string
	fields       []ctlField
	m            *mapping.Compiled
	key          []string     // the integration key of the Dataverse table
	companies    []string     // the linked legal entities (upper case)
	company      bool         // company-specific: both tables are striped
	toDV, toFO   bool         // whether any field flows that way
	fo           *store.Table // the F&O table when the map was indexed, for its enums
	numeric      map[string]bool
}

// change is one write of the data plane as the runtime carries or queues it: the row before (nil
// on create) and after (nil on delete), in stored form.
type change struct {
	Side  store.Service  `json:"side"`
	Table string         `json:"table"`
	Old   map[string]any `json:"old,omitempty"`
	New   map[string]any `json:"new,omitempty"`
}

func runtimeIndexKey(svc store.Service, table string) string { return string(svc) + "\x00" + table }

// runtimeMaps builds the runtime index of the state: the maps that run, are paused or resume, by
// the tables they read.
func (c *controlPlane) runtimeMaps(st *ctlState) map[string][]*runMap {
	idx := map[string][]*runMap{}
	if st.Link == nil {
		return idx
	}
	for _, m := range st.Maps {
		if m.State != mapRunning && m.State != mapPaused && m.State != mapCatchUp {
			continue
		}
		rm, fo, dv := c.runMapOf(st, m)
		if rm == nil {
			continue
		}
		if rm.toDV {
			idx[runtimeIndexKey(store.FinOps, fo.Name)] = append(idx[runtimeIndexKey(store.FinOps, fo.Name)], rm)
		}
		if rm.toFO {
			idx[runtimeIndexKey(store.Dataverse, dv.Name)] = append(idx[runtimeIndexKey(store.Dataverse, dv.Name)], rm)
		}
	}
	return idx
}

// runMapOf compiles a map's active definition; nil when a table is gone or a filter does not parse.
func (c *controlPlane) runMapOf(st *ctlState, m *ctlMap) (*runMap, *store.Table, *store.Table) {
	def := m.active().Def
	fo, ok1 := c.e.store.TableBySet(store.FinOps, def.FinOps)
	dv, ok2 := c.e.store.TableBySet(store.Dataverse, def.Dataverse)
	if !ok1 || !ok2 {
		return nil, nil, nil
	}
	mm := mapping.Map{FinOpsFilter: def.FinOpsFilter, DataverseFilter: def.DataverseFilter}
	rm := &runMap{pid: m.PID, name: c.displayName(m), state: m.State, foSet: def.FinOps, dvSet: def.Dataverse,
		fields: def.Fields, key: st.Link.Keys[dv.Name], company: fo.CompanyColumn != "" && dv.CompanyColumn != ""}
	for _, f := range def.Fields {
		d := mapping.Direction(f.Direction)
		mm.Fields = append(mm.Fields, mapping.Field{FinOps: f.FinOps, Dataverse: f.Dataverse, Direction: d, ValueMap: f.ValueMap, Default: f.Default})
		rm.toDV = rm.toDV || (f.Dataverse != "" && d != mapping.ToFinOps)
		rm.toFO = rm.toFO || (f.FinOps != "" && d != mapping.ToDataverse)
	}
	if rm.company {
		mm.FinOpsCompany, mm.DataverseCompany = fo.CompanyColumn, dv.CompanyColumn+".cdm_companycode"
	}
	compiled, err := mapping.Compile(mm)
	if err != nil {
		return nil, nil, nil
	}
	rm.m = compiled
	rm.fo, rm.numeric = fo, copier.EnumNumericColumns(def.FinOpsFilter)
	for _, le := range st.Link.LegalEntities {
		rm.companies = append(rm.companies, strings.ToUpper(le))
	}
	return rm, fo, dv
}

// runtimeOld reads the row a write is about to replace when a map may carry the write (nil
// otherwise, or when the row is new).
func (e *Emulator) runtimeOld(ctx context.Context, t *store.Table, id string) map[string]any {
	if !e.runtimeWatches(ctx, t) {
		return nil
	}
	row, found, err := e.store.Get(ctx, t.Service, t.Name, id)
	if err != nil || !found {
		return nil
	}
	return row.Data
}

func (e *Emulator) runtimeWatches(ctx context.Context, t *store.Table) bool {
	if e.control == nil || store.ByDualWrite(ctx) {
		return false
	}
	g := e.control.guard.Load()
	return g != nil && len(g.maps[runtimeIndexKey(t.Service, t.Name)]) > 0
}

// syncWrite is the runtime's hook on a write of the data plane, called in the write's transaction
// after the row is stored (old nil on create, row nil on delete). Running maps carry the change
// now; paused or resuming maps queue it. An error fails the original write.
func (e *Emulator) syncWrite(ctx context.Context, t *store.Table, old, row map[string]any) *wire.Error {
	if !e.runtimeWatches(ctx, t) {
		return nil
	}
	if e.control.pendingAlert() != "" {
		if err := e.control.applyAlert(store.AsDualWrite(ctx)); err != nil {
			return wire.StoreError(err)
		}
	}
	ch := change{Side: t.Service, Table: t.Name, Old: old, New: row}
	g := e.control.guard.Load()
	for _, rm := range g.maps[runtimeIndexKey(t.Service, t.Name)] {
		if !rm.triggered(t, ch) {
			continue
		}
		switch rm.state {
		case mapRunning:
			if aerr := e.applyChange(store.AsDualWrite(ctx), rm, ch); aerr != nil {
				e.control.noteFailure(g.alerts)
				return aerr
			}
		case mapPaused, mapCatchUp:
			if err := e.store.Enqueue(ctx, rm.pid, ch); err != nil {
				return wire.StoreError(err)
			}
		}
	}
	return nil
}

// triggered reports whether a change touches a column the map carries from the change's side: a
// created or deleted row always does, an update only through mapped columns or the company [D].
func (rm *runMap) triggered(t *store.Table, ch change) bool {
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
	for _, f := range rm.fields {
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
func (ch change) sourceRow() map[string]any {
	if ch.New != nil {
		return ch.New
	}
	return ch.Old
}

// linkedCompany reports whether the F&O company code is one of the map's linked legal entities.
func (rm *runMap) linkedCompany(code string) bool {
	return code != "" && wire.ContainsFold(rm.companies, code)
}

// finOpsSelected applies the F&O filter to an F&O row.
func (rm *runMap) finOpsSelected(data map[string]any) bool {
	ok, err := rm.m.FinOpsSelected(copier.FinOpsFilterRow(rm.fo, rm.numeric, data))
	return err == nil && ok
}
