package control

import (
	"context"
	"sort"

	"github.com/dwctl/dwctl/emulator/copier"
	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/mapping"
)

// initialSync copies rows between F&O and Dataverse through the map for each company, master side
// winning where both have a row [D], and records the results per company under the map's project.
func (c *Plane) initialSync(ctx context.Context, st *pairstate.State, m *pairstate.Map, companies []string, masterSide, reqID string) error {
	def := m.ActiveTemplate().Def
	fo, ok1 := c.store.TableBySet(store.FinOps, def.FinOps)
	dv, ok2 := c.store.TableBySet(store.Dataverse, def.Dataverse)
	if !ok1 || !ok2 {
		return nil
	}
	mm := mapping.Map{FinOpsFilter: def.FinOpsFilter, DataverseFilter: def.DataverseFilter}
	for _, f := range def.Fields {
		mm.Fields = append(mm.Fields, mapping.Field{FinOps: f.FinOps, Dataverse: f.Dataverse, Direction: mapping.Direction(f.Direction), ValueMap: f.ValueMap, Default: f.Default})
	}
	master := mapping.Dataverse
	if masterSide == "AX" {
		master = mapping.FinOps
	}
	companySpecific := fo.CompanyColumn != "" && dv.CompanyColumn != ""
	if companySpecific {
		mm.FinOpsCompany, mm.DataverseCompany = fo.CompanyColumn, dv.CompanyColumn+".cdm_companycode"
	}
	compiled, err := mapping.Compile(mm)
	if err != nil {
		return err
	}
	runs := companies
	if !companySpecific {
		runs = []string{""}
	}
	var execs []pairstate.Execution
	for _, code := range runs {
		r := &copier.Run{Sides: c.sides(), FO: fo, DV: dv, Map: compiled, Key: st.Link.Keys[dv.Name], Company: code, Master: master,
			MaxRows: int(c.maxRows.Load()), MaxLookups: int(c.maxLookups.Load())}
		r.Result = copier.Result{Company: code}
		if code != "" {
			r.Result.Name, r.DVCompanyID, _ = c.cat.companyNames(ctx, code)
		}
		if err := r.Copy(ctx); err != nil {
			return err
		}
		r.Result.Status = "Completed"
		if r.Result.Errors > 0 {
			r.Result.Status = "CompletedWithErrors"
		}
		execs = append(execs, pairstate.Execution{Result: r.Result, RequestID: reqID})
	}
	st.Executions[m.PID] = mergeExecutions(st.Executions[m.PID], execs)
	return nil
}

// maxExecutions bounds the run history kept per project.
const maxExecutions = 200

// mergeExecutions puts a run's results (one per company) before the older runs: the answer lists
// the newest run first and keeps the history [O: DWMapEngine.cs:1127-1128].
func mergeExecutions(old, runs []pairstate.Execution) []pairstate.Execution {
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].Company < runs[j].Company })
	out := append(append([]pairstate.Execution(nil), runs...), old...)
	if len(out) > maxExecutions {
		out = out[:maxExecutions]
	}
	return out
}

// sides are the store and services the control plane's copies read and write.
func (c *Plane) sides() copier.Sides {
	return copier.Sides{Store: c.store, Dataverse: c.dataverse, FinOps: c.finops, Clock: c.clock, DataverseURL: c.urls.DataverseURL}
}
