package control

import (
	"context"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
)

// EmulatorVersion is what GET Version answers as the gateway's version.
const EmulatorVersion = "dwctl-emulator/1"

// version answers the handshake the portal makes (GET Version [O]); the real answer's shape is not
// observed. The emulator says that it is one, so that dwctl knows every call is served here,
// including those nobody has seen on a real gateway.
func (c *Plane) version(context.Context, *http.Request, *pairstate.State) (any, error) {
	return map[string]any{"version": EmulatorVersion, "emulator": true}, nil
}

// projectName is the name of a map's project, as {pid}/FieldMappings answers it and Refresh takes it.
func projectName(m *pairstate.Map) string { return strings.ToUpper(m.PID) }

// projectOrStatus serves the two management GETs of two segments: Status/{requestId} [O] and
// {pid}/FieldMappings [O].
func (c *Plane) projectOrStatus(ctx context.Context, r *http.Request, st *pairstate.State) (any, error) {
	first, second := r.PathValue("first"), r.PathValue("second")
	switch {
	case first == "Status":
		return c.status(ctx, second, st)
	case second == "FieldMappings":
		return c.cat.fieldMappings(first, st)
	}
	return nil, gwErr(http.StatusNotFound, "NotFound", "No call %s/%s.", first, second)
}

// fieldMappings answers the project of an initialised map [O: DWFieldMapping.cs]: its active
// version as one task with one AX → CRM leg, whose fields carry their direction and whose
// reversedSourceFilter is the Dataverse filter.
func (ct *catalog) fieldMappings(pid string, st *pairstate.State) (any, error) {
	m := st.MapByProject(pid)
	if m == nil {
		return nil, gwErr(http.StatusNotFound, "ProjectNotFound", "Project %s was not found.", pid)
	}
	t := m.ActiveTemplate()
	task := ct.mappingTask(m, t)
	return map[string]any{"name": projectName(m), "displayName": ct.displayName(m), "isDualWriteProject": true,
		"isDualWriteEnabled": m.State == pairstate.MapRunning, "projectState": stateName(m.State), "id": m.PID,
		"entityMappingTasks": []any{task}, "validationIssues": []any{},
		"templateIdentifier": map[string]any{"name": ct.displayName(m), "id": t.ID, "displayName": ct.displayName(m),
			"version": versionJSON(t.Version)}}, nil
}

func versionJSON(v [4]int) map[string]int {
	return map[string]int{"major": v[0], "minor": v[1], "build": v[2], "revision": v[3], "majorRevision": 0, "minorRevision": v[3]}
}

// refreshTables refreshes a project's cached metadata (POST /api/Project/{name}/Refresh [O]). The
// emulator reads its metadata live, so there is nothing to refresh; the project must exist and the
// body must be the one observed.
func (c *Plane) refreshTables(_ context.Context, r *http.Request, st *pairstate.State) (any, error) {
	var body struct {
		Tokens []string `json:"tokens"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	if body.Tokens == nil {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "The body needs tokens.")
	}
	for _, m := range st.Maps {
		if m.PID != "" && strings.EqualFold(projectName(m), r.PathValue("name")) {
			return map[string]any{}, nil
		}
	}
	return nil, gwErr(http.StatusNotFound, "ProjectNotFound", "Project %s was not found.", r.PathValue("name"))
}

// prerequisites answers the maps to run before a template, dependencies first, the template last
// ([[id, …]] [O: DWMapEngine.cs:1551-1576]): a map is a prerequisite of another when the other's
// fields look up its Dataverse table.
func (c *Plane) prerequisites(_ context.Context, r *http.Request, st *pairstate.State) (any, error) {
	if _, err := needCID(st, r.PathValue("cid")); err != nil {
		return nil, err
	}
	var ids []string
	if err := readJSON(r, &ids); err != nil {
		return nil, err
	}
	out := []any{}
	for _, id := range ids {
		m, _, err := c.cat.findTemplate(st, id)
		if err != nil {
			return nil, err
		}
		var order []string
		c.cat.prerequisiteOrder(st, m, map[*pairstate.Map]bool{}, &order)
		if len(order) > 0 {
			order[len(order)-1] = id // the template asked about, as asked
		}
		out = append(out, order)
	}
	return out, nil
}

// prerequisiteOrder appends the active template ids of m's prerequisites (depth first), then m's.
func (ct *catalog) prerequisiteOrder(st *pairstate.State, m *pairstate.Map, seen map[*pairstate.Map]bool, order *[]string) {
	if seen[m] {
		return
	}
	seen[m] = true
	for _, dep := range ct.lookedUp(st, m) {
		ct.prerequisiteOrder(st, dep, seen, order)
	}
	*order = append(*order, m.Active)
}

// lookedUp returns the maps whose Dataverse table one of m's lookup fields targets.
func (ct *catalog) lookedUp(st *pairstate.State, m *pairstate.Map) []*pairstate.Map {
	def := m.ActiveTemplate().Def
	dv, ok := ct.store.TableBySet(store.Dataverse, def.Dataverse)
	if !ok {
		return nil
	}
	var out []*pairstate.Map
	for _, f := range def.Fields {
		head, _, path := strings.Cut(f.Dataverse, ".")
		col, ok := dv.Column(head)
		if !path || !ok || ct.isCompanyPath(dv, f.Dataverse) {
			continue
		}
		for _, target := range col.Targets {
			for _, other := range ct.sortedMaps(st) {
				if other == m {
					continue
				}
				if t, ok := ct.store.TableBySet(store.Dataverse, other.ActiveTemplate().Def.Dataverse); ok && t.Name == target && !containsMap(out, other) {
					out = append(out, other)
				}
			}
		}
	}
	return out
}

func containsMap(list []*pairstate.Map, m *pairstate.Map) bool {
	for _, x := range list {
		if x == m {
			return true
		}
	}
	return false
}
