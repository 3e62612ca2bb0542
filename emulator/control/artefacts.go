package control

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/emulator/finops"
	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// The side artefacts the real service leaves, for drift detection to read [D]/[O]/[I]:
//   - two F&O DualWriteProjectConfigurations rows per started map (one per direction [I], named
//     {pid}_AX and {pid}_CRM [I]) with Status Enabled (running), Queueing (paused) or Disabled
//     (stopped), and DualWriteProjectPartitionMappings rows per company;
//   - a Dataverse msdyn_dualwriteruntimeconfig row per running or paused map that has a leg from
//     Dataverse [O], bound to the organisation through "OrganizationId" in msdyn_unsecure [I: the
//     real binding lives in the plug-in's secure configuration].
// Reset deletes all of them [D].

const runtimeConfigTable = "msdyn_dualwriteruntimeconfig"

// writeArtefacts brings a map's artefacts in line with its state.
func (ar *artefacts) writeArtefacts(ctx context.Context, st *pairstate.State, m *pairstate.Map) error {
	status := map[int]string{pairstate.MapRunning: "Enabled", pairstate.MapPaused: "Queueing", pairstate.MapStopped: "Disabled"}[m.State]
	if status == "" || m.PID == "" {
		return nil
	}
	if err := ar.writeProjectConfigs(ctx, st, m, status); err != nil {
		return err
	}
	return ar.writeRuntimeConfig(ctx, st, m)
}

func (ar *artefacts) writeProjectConfigs(ctx context.Context, st *pairstate.State, m *pairstate.Map, status string) error {
	t, ok := ar.store.TableBySet(store.FinOps, "DualWriteProjectConfigurations")
	if !ok {
		return nil
	}
	def := m.ActiveTemplate().Def
	dv, _ := ar.store.TableBySet(store.Dataverse, def.Dataverse)
	fo, _ := ar.store.TableBySet(store.FinOps, def.FinOps)
	fieldMap, _ := json.Marshal(def.Fields)
	partitions, _ := json.Marshal(st.Link.LegalEntities)
	for _, side := range []struct{ suffix, filter string }{{"_AX", def.FinOpsFilter}, {"_CRM", def.DataverseFilter}} {
		data := map[string]any{}
		for _, col := range t.Columns {
			data[col.Name] = finops.DefaultValue(col)
		}
		name := strings.ToUpper(m.PID) + side.suffix
		for k, v := range map[string]any{"ProjectName": name, "ExternalEntityName": def.Dataverse, "ExternalLogicalEntityName": logicalOf(dv),
			"InternalEntityName": labelOf(fo), "ExternalEnvironmentUrl": st.Link.DataverseURL, "Status": status, "AsyncMode": "RequiredSync",
			"IntegrationKey": strings.Join(st.Link.Keys[logicalOf(dv)], ","), "QueryFilterExpression": side.filter,
			"FieldMap": string(fieldMap), "PartitionMap": string(partitions), "SyncExecutionId": lastRequest(m)} {
			data[k] = v
		}
		id, err := store.FinOpsID(t, data)
		if err != nil {
			return err
		}
		if _, err := ar.store.Put(ctx, t, store.Row{ID: id, Data: data}); err != nil {
			return err
		}
	}
	return ar.writePartitions(ctx, st, m)
}

func (ar *artefacts) writePartitions(ctx context.Context, st *pairstate.State, m *pairstate.Map) error {
	t, ok := ar.store.TableBySet(store.FinOps, "DualWriteProjectPartitionMappings")
	if !ok {
		return nil
	}
	for _, code := range st.Link.LegalEntities {
		_, compID, err := ar.cat.companyNames(ctx, code)
		if err != nil {
			return err
		}
		data := map[string]any{"ProjectName": strings.ToUpper(m.PID) + "_AX", "ExternalCompanyName": compID, "InternalCompanyName": strings.ToLower(code)}
		id, err := store.FinOpsID(t, data)
		if err != nil {
			return err
		}
		if _, err := ar.store.Put(ctx, t, store.Row{ID: id, Data: data}); err != nil {
			return err
		}
	}
	return nil
}

func logicalOf(t *store.Table) string {
	if t == nil {
		return ""
	}
	return t.Name
}

func labelOf(t *store.Table) string {
	if t == nil {
		return ""
	}
	return t.Label
}

func lastRequest(m *pairstate.Map) string {
	if len(m.Requests) == 0 {
		return ""
	}
	return m.Requests[len(m.Requests)-1]
}

// writeRuntimeConfig keeps the Dataverse runtime configuration row of a map with a leg from
// Dataverse: present while it runs or is paused, gone once stopped.
func (ar *artefacts) writeRuntimeConfig(ctx context.Context, st *pairstate.State, m *pairstate.Map) error {
	t, ok := ar.store.Table(store.Dataverse, runtimeConfigTable)
	if !ok {
		return nil
	}
	id := wire.StableGUID("runtime:" + strings.ToLower(m.PID))
	existing, found, err := ar.store.Get(ctx, store.Dataverse, t.Name, id)
	if err != nil {
		return err
	}
	def := m.ActiveTemplate().Def
	fromDataverse := false
	for _, f := range def.Fields {
		fromDataverse = fromDataverse || f.Direction == dirToFO || f.Direction == dirBoth
	}
	if m.State == pairstate.MapStopped || !fromDataverse {
		if found {
			_, err = ar.store.Delete(ctx, t, id)
		}
		return err
	}
	v := m.ActiveTemplate().Version
	unsecure, _ := json.Marshal(map[string]any{"SourceEntityName": def.Dataverse, "DestinationEntityName": def.FinOps,
		"EntityMapVersion": map[string]int{"Major": v[0], "Minor": v[1], "Build": v[2], "Revision": v[3]},
		"OrganizationId":   st.Link.Organization, "ProjectName": strings.ToUpper(m.PID)})
	fields := map[string]any{"msdyn_name": ar.cat.displayName(m), "msdyn_unsecure": string(unsecure), "msdyn_status": stateName(m.State)}
	if !found {
		fields[t.PrimaryID] = id
		_, aerr := ar.dataverse.Insert(ctx, t, fields)
		return aerrToErr(aerr)
	}
	for k, val := range fields {
		existing.Data[k] = val
	}
	_, aerr := ar.dataverse.Put(ctx, t, existing)
	return aerrToErr(aerr)
}

func aerrToErr(aerr *wire.Error) error {
	if aerr == nil {
		return nil
	}
	return gwErr(aerr.Status, aerr.Code, "%s", aerr.Message)
}

// deleteAllArtefacts deletes every runtime artefact of the pair, as a reset does [D].
func (ar *artefacts) deleteAllArtefacts(ctx context.Context) error {
	for _, tt := range []struct {
		svc  store.Service
		name string
	}{{store.FinOps, "DualWriteProjectConfiguration"}, {store.FinOps, "DualWriteProjectPartitionMapping"}, {store.Dataverse, runtimeConfigTable}} {
		t, ok := ar.store.Table(tt.svc, tt.name)
		if !ok {
			continue
		}
		var ids []string
		if err := ar.store.Scan(ctx, tt.svc, t.Name, "", func(r store.Row) (bool, error) { ids = append(ids, r.ID); return true, nil }); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := ar.store.Delete(ctx, t, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// executions answers the initial-sync results of a project per company [O].
func (c *Plane) executions(_ context.Context, r *http.Request, st *pairstate.State) (any, error) {
	m := st.MapByProject(r.PathValue("pid"))
	if m == nil {
		return nil, gwErr(http.StatusNotFound, "ProjectNotFound", "Project %s was not found.", r.PathValue("pid"))
	}
	out := []any{}
	for _, x := range st.Executions[m.PID] {
		errs := []any{}
		for _, e := range x.First {
			errs = append(errs, map[string]any{"recordId": e.RecordID, "sourceField": e.Field, "errorMessage": e.Message})
		}
		leg := map[string]any{"status": x.Status, "exportRecordCount": x.Exported, "importRecordsInsertedCount": x.Inserted,
			"importRecordsUpdatedCount": x.Updated, "importRecordsErrorCount": x.Errors, "exportErrors": []any{}, "importErrors": errs}
		out = append(out, map[string]any{"legalEntityId": x.Company, "legalEntityName": x.Name, "executionStatus": x.Status,
			"upsertCount": x.Upserts, "errorCount": x.Errors, "initialSyncRequestId": x.RequestID,
			"taskExecutionStatuses": []any{map[string]any{"legs": []any{leg}}}})
	}
	return map[string]any{"projectName": c.cat.displayName(m), "projectExecutionResponses": out}, nil
}
