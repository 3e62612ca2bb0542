package control

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/mapping"
)

// templateJSON renders a version as the gateway's template [O].
func (ct *catalog) templateJSON(m *pairstate.Map, t *pairstate.Template) map[string]any {
	name := ct.displayName(m)
	return map[string]any{"id": t.ID, "name": name, "readOnly": t.ReadOnly, "displayName": name, "author": t.Author,
		"version": versionJSON(t.Version), "tags": []string{}, "description": "", "createdDateTime": t.Created.UTC().Format(time.RFC3339)}
}

func requestJSON(r *pairstate.Request) map[string]any {
	return map[string]any{"requestId": r.ID, "action": strconv.Itoa(r.Action), "state": strconv.Itoa(r.State),
		"createdOn": r.Created.UTC().Format(time.RFC3339Nano), "modifiedOn": r.Modified.UTC().Format(time.RFC3339Nano),
		"errorMessage": r.Error, "errorUri": "", "rootActivityId": r.ID}
}

// dwMap renders a map as the gateway's DWMap [O].
func (ct *catalog) dwMap(st *pairstate.State, m *pairstate.Map) map[string]any {
	t := m.ActiveTemplate()
	left := map[string]any{"targetType": "AX", "name": t.Def.FinOps, "displayName": t.Def.FinOps}
	if fo, ok := ct.store.TableBySet(store.FinOps, t.Def.FinOps); ok {
		left["displayName"] = fo.Label
	}
	right := map[string]any{"targetType": "CRM", "name": t.Def.Dataverse, "displayName": t.Def.Dataverse}
	if dv, ok := ct.store.TableBySet(store.Dataverse, t.Def.Dataverse); ok {
		right["name"], right["displayName"] = dv.Name, dv.Label
	}
	templates := make([]any, 0, len(m.Templates)+1)
	for _, v := range m.Templates {
		templates = append(templates, ct.templateJSON(m, v))
	}
	// The gateway also lists template records without an id, which its own automation drops
	// [O: DWMapEngine.cs:2026-2032].
	templates = append(templates, map[string]any{"id": nil, "name": ct.displayName(m), "readOnly": false, "displayName": ct.displayName(m),
		"author": nil, "version": versionJSON([4]int{}), "tags": []string{}, "description": "", "createdDateTime": "0001-01-01T00:00:00"})
	reqs := []any{}
	var last any
	for _, id := range m.Requests {
		if r, ok := st.Requests[id]; ok {
			last = requestJSON(r)
			reqs = append(reqs, last)
		}
	}
	var pid any
	if m.PID != "" {
		pid = m.PID
	}
	return map[string]any{"leftEntity": left, "rightEntity": right, "detail": map[string]any{
		"tid": t.ID, "tName": ct.displayName(m), "tags": []string{}, "pid": pid, "template": ct.templateJSON(m, t),
		"templates": templates, "state": strconv.Itoa(m.State), "actions": []string{}, "isProjectDeleted": false,
		"lastRequest": last, "lastRequests": reqs}}
}

// entities lists every map of the link in one answer [O].
func (c *Plane) entities(_ context.Context, r *http.Request, st *pairstate.State) (any, error) {
	if _, err := needCID(st, r.URL.Query().Get("cid")); err != nil {
		return nil, err
	}
	out := make([]any, 0, len(st.Maps))
	for _, m := range c.cat.sortedMaps(st) {
		out = append(out, c.cat.dwMap(st, m))
	}
	return out, nil
}

func (ct *catalog) findTemplate(st *pairstate.State, tid string) (*pairstate.Map, *pairstate.Template, error) {
	if m := st.MapByTemplate(tid); m != nil {
		for _, t := range m.Templates {
			if strings.EqualFold(t.ID, tid) {
				return m, t, nil
			}
		}
	}
	return nil, nil, gwErr(http.StatusNotFound, "TemplateNotFound", "Template %s was not found.", tid)
}

// Transform types of the gateway's field mappings [O] and the $type the emulator writes beside them:
// the field is observed (DWFieldMapping.cs:108), its values are not [I].
var transformTypes = map[string]string{
	"ValueMap": "Microsoft.Dynamics.Integrator.Transforms.ValueMapTransform",
	"Default":  "Microsoft.Dynamics.Integrator.Transforms.DefaultValueTransform",
}

func fieldJSON(f pairstate.Field) map[string]any {
	var transforms []any
	if len(f.ValueMap) > 0 {
		transforms = append(transforms, map[string]any{"$type": transformTypes["ValueMap"], "transformType": "ValueMap", "valueMap": f.ValueMap})
	}
	if f.Default != nil {
		transforms = append(transforms, map[string]any{"$type": transformTypes["Default"], "transformType": "Default", "defaultValue": *f.Default})
	}
	return map[string]any{"syncDirection": f.Direction, "sourceField": f.FinOps, "destinationField": f.Dataverse,
		"isSystemGenerated": false, "destinationLookupFieldRelatedEntity": nil, "valueTransforms": nonNilSlice(transforms)}
}

// checkDefinition refuses a definition the service would refuse to save: unknown tables or
// fields (DIPV1018/1020), a bad direction, or a filter that does not parse (DIPV1012, health 900).
func (ct *catalog) checkDefinition(d pairstate.Def) error {
	fo, ok := ct.store.TableBySet(store.FinOps, d.FinOps)
	if !ok {
		return gwErr(http.StatusBadRequest, "DIPV1018", "Missing source schema %s in the cached metadata. Refresh tables.", d.FinOps)
	}
	dv, ok := ct.store.TableBySet(store.Dataverse, d.Dataverse)
	if !ok {
		return gwErr(http.StatusBadRequest, "DIPV1022", "Missing destination schema %s in the cached metadata. Refresh tables.", d.Dataverse)
	}
	for _, f := range d.Fields {
		if f.Direction < dirToDV || f.Direction > dirBoth {
			return gwErr(http.StatusBadRequest, "BadRequest", "Field mapping %s/%s has the unknown direction %d.", f.FinOps, f.Dataverse, f.Direction)
		}
		if f.FinOps != "" {
			if _, ok := fo.Column(f.FinOps); !ok {
				return gwErr(http.StatusBadRequest, "DIPV1020", "Missing source field %s in the schema.", f.FinOps)
			}
		}
		if f.Dataverse != "" {
			if _, err := store.KeyColumns(dv, []string{f.Dataverse}); err != nil {
				return gwErr(http.StatusBadRequest, "DIPV1025", "Missing destination field %s in the schema: %v.", f.Dataverse, err)
			}
		}
	}
	if _, err := mapping.Compile(mapping.Map{FinOpsFilter: d.FinOpsFilter, DataverseFilter: d.DataverseFilter}); err != nil {
		return gwErr(http.StatusBadRequest, "DIPV1012", "%v", err)
	}
	return nil
}
