package control

import (
	"strings"

	"github.com/dwctl/dwctl/emulator/copier"
	"github.com/dwctl/dwctl/emulator/livesync"
	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/mapping"
)

// runtimeMaps are the maps of the state whose runtime runs, is paused or resumes, for the live-sync
// runtime to carry or queue their changes.
func (ct *catalog) runtimeMaps(st *pairstate.State) []*livesync.Map {
	if st.Link == nil {
		return nil
	}
	var out []*livesync.Map
	for _, m := range st.Maps {
		if m.State != pairstate.MapRunning && m.State != pairstate.MapPaused && m.State != pairstate.MapCatchUp {
			continue
		}
		if rm := ct.runMapOf(st, m); rm != nil {
			out = append(out, rm)
		}
	}
	return out
}

// runMapOf compiles a map's active definition; nil when a table is gone or a filter does not parse.
func (ct *catalog) runMapOf(st *pairstate.State, m *pairstate.Map) *livesync.Map {
	def := m.ActiveTemplate().Def
	fo, ok1 := ct.store.TableBySet(store.FinOps, def.FinOps)
	dv, ok2 := ct.store.TableBySet(store.Dataverse, def.Dataverse)
	if !ok1 || !ok2 {
		return nil
	}
	mm := mapping.Map{FinOpsFilter: def.FinOpsFilter, DataverseFilter: def.DataverseFilter}
	rm := &livesync.Map{PID: m.PID, Name: ct.displayName(m), Queue: m.State != pairstate.MapRunning, FOSet: def.FinOps, DVSet: def.Dataverse,
		Key: st.Link.Keys[dv.Name], Company: fo.CompanyColumn != "" && dv.CompanyColumn != "", FO: fo, DV: dv}
	for _, f := range def.Fields {
		d := mapping.Direction(f.Direction)
		mf := mapping.Field{FinOps: f.FinOps, Dataverse: f.Dataverse, Direction: d, ValueMap: f.ValueMap, Default: f.Default}
		mm.Fields = append(mm.Fields, mf)
		rm.Fields = append(rm.Fields, mf)
		rm.ToDV = rm.ToDV || (f.Dataverse != "" && d != mapping.ToFinOps)
		rm.ToFO = rm.ToFO || (f.FinOps != "" && d != mapping.ToDataverse)
	}
	if rm.Company {
		mm.FinOpsCompany, mm.DataverseCompany = fo.CompanyColumn, dv.CompanyColumn+".cdm_companycode"
	}
	compiled, err := mapping.Compile(mm)
	if err != nil {
		return nil
	}
	rm.Compiled, rm.Numeric = compiled, copier.EnumNumericColumns(def.FinOpsFilter)
	for _, le := range st.Link.LegalEntities {
		rm.Companies = append(rm.Companies, strings.ToUpper(le))
	}
	return rm
}
