package control

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/mapversion"
)

// Solutions in the emulated gateway: the documented ALM route for map versions. A map version is a
// msdyn_dualwriteentitymap row that is a component of a Dataverse solution (created over the Web API
// with the MSCRM.SolutionUniqueName header [D]); "Apply solution" (RestoreTemplates [O]) publishes
// the solution's map rows as templates: a row whose name names an existing map becomes a new
// version of it, any other row a new map.

// Dataverse tables of solutions [D: Web API publisher, solution].
const (
	solutionTable  = "solution"
	publisherTable = "publisher"
)

// solutions lists the Dataverse solutions [O: SolutionList.cs].
func (c *Plane) solutions(ctx context.Context, r *http.Request, st *pairstate.State) (any, error) {
	if _, err := needCID(st, r.PathValue("cid")); err != nil {
		return nil, err
	}
	t, ok := c.store.Table(store.Dataverse, solutionTable)
	if !ok {
		return []any{}, nil
	}
	out := []any{}
	err := c.store.Scan(ctx, store.Dataverse, t.Name, "", func(row store.Row) (bool, error) {
		out = append(out, map[string]any{"solutionid": row.ID, "id": row.ID, "uniquename": row.Data["uniquename"],
			"friendlyname": row.Data["friendlyname"], "version": row.Data["version"], "ismanaged": row.Data["ismanaged"],
			"description": row.Data["description"]})
		return true, nil
	})
	return out, err
}

// restoreTemplates starts an Apply solution [O: DWSolutionEngine.cs:115-134]: one solution a
// request; it is carried out when polled.
func (c *Plane) restoreTemplates(_ context.Context, r *http.Request, st *pairstate.State) (any, error) {
	if _, err := needCID(st, r.PathValue("cid")); err != nil {
		return nil, err
	}
	var body struct {
		Action    any `json:"action"`
		Solutions []struct {
			Criteria struct {
				UniqueName string `json:"uniquename"`
			} `json:"criteria"`
		} `json:"solutions"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	if mapping.Text(body.Action) != "2" {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "Unknown action %v; Apply solution is action \"2\".", body.Action)
	}
	if len(body.Solutions) != 1 || body.Solutions[0].Criteria.UniqueName == "" {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "Name exactly one solution by its uniquename.")
	}
	now := c.clock().UTC()
	req := &pairstate.SolutionRequest{ID: wire.NewGUID(), Solution: body.Solutions[0].Criteria.UniqueName, State: pairstate.ReqWaiting,
		Created: now, Modified: now, PollsLeft: int(c.polls.Load())}
	if st.SolutionRequests == nil {
		st.SolutionRequests = map[string]*pairstate.SolutionRequest{}
	}
	st.SolutionRequests[req.ID] = req
	return map[string]any{"requestId": req.ID}, nil
}

// solutionStatus answers an Apply solution [O: DWSolutionEngine.cs:56-89].
func (c *Plane) solutionStatus(ctx context.Context, r *http.Request, st *pairstate.State) (any, error) {
	if _, err := needCID(st, r.PathValue("cid")); err != nil {
		return nil, err
	}
	req, ok := st.SolutionRequests[r.PathValue("id")]
	if !ok {
		return nil, gwErr(http.StatusNotFound, "RequestNotFound", "Request %s was not found.", r.PathValue("id"))
	}
	if req.State == pairstate.ReqWaiting {
		if req.PollsLeft > 0 {
			req.PollsLeft--
		} else {
			msg, err := c.art.applySolution(ctx, st, req.Solution)
			if err != nil {
				return nil, err
			}
			req.State, req.Message = pairstate.ReqCompleted, "Solution "+req.Solution+" was applied."
			if msg != "" {
				req.State, req.Message = pairstate.ReqError, msg
			}
		}
		req.Modified = c.clock().UTC()
	}
	status := "Succeeded"
	if req.State == pairstate.ReqError {
		status = "Failed"
	}
	return map[string]any{"requestId": req.ID, "action": "2", "state": wire.Sprintf("%d", req.State),
		"createdOn": req.Created.Format(time.RFC3339Nano), "modifiedOn": req.Modified.Format(time.RFC3339Nano),
		"result": map[string]any{"message": req.Message, "status": status}, "rootActivityId": req.ID}, nil
}

// entityMapName reads "{prefix}_[{map name}]" [O: CKP].
var entityMapName = regexp.MustCompile(`^[A-Za-z0-9]+_\[(.+)\]$`)

// applySolution publishes the solution's map rows; it returns the service's message when it cannot.
func (ar *artefacts) applySolution(ctx context.Context, st *pairstate.State, uniqueName string) (string, error) {
	sol, found, err := ar.solutionRow(ctx, uniqueName)
	if err != nil || !found {
		return "Solution " + uniqueName + " was not found in the Dataverse environment.", err
	}
	author := ar.publisherName(ctx, sol)
	t, ok := ar.store.Table(store.Dataverse, entityMapTable)
	if !ok {
		return "The dual-write solutions are not installed.", nil
	}
	var rows []store.Row
	err = ar.store.Scan(ctx, store.Dataverse, t.Name, "", func(row store.Row) (bool, error) {
		if strings.EqualFold(wire.AnyString(row.Data["solutionid"]), sol.ID) {
			rows = append(rows, row)
		}
		return true, nil
	})
	if err != nil {
		return "", err
	}
	for _, row := range rows {
		if msg := ar.publishRow(st, row, author); msg != "" {
			return msg, nil
		}
	}
	return "", nil
}

// publishRow makes one msdyn_dualwriteentitymap row a template.
func (ar *artefacts) publishRow(st *pairstate.State, row store.Row, author string) string {
	id := strings.ToLower(row.ID)
	if st.MapByTemplate(id) != nil {
		return "" // published before
	}
	name := wire.AnyString(row.Data["msdyn_name"])
	def, err := parseTask(wire.AnyString(row.Data["msdyn_mapping"]))
	if err != nil {
		return "Entity map " + name + ": " + err.Error()
	}
	parsed, err := mapversion.Parse(wire.AnyString(row.Data["msdyn_version"]))
	if err != nil {
		return "Entity map " + name + " has the version " + wire.AnyString(row.Data["msdyn_version"]) + ", which is not major.minor.build.revision."
	}
	version := mapversion.Parts(parsed)
	if err := ar.cat.checkDefinition(def); err != nil {
		return "Entity map " + name + ": " + err.Error()
	}
	m := ar.cat.mapForRow(st, name)
	if m == nil {
		m = &pairstate.Map{State: pairstate.MapNotRunning, Name: wire.AnyString(row.Data["msdyn_displayname"])}
		if sub := entityMapName.FindStringSubmatch(name); sub != nil {
			m.Name = sub[1]
		}
		st.Maps = append(st.Maps, m)
	} else {
		if !m.Editable() {
			return "Table map " + ar.cat.displayName(m) + " is " + stateName(m.State) + ". Stop it before you apply a solution with a new version of it."
		}
		for _, v := range m.Templates {
			if strings.EqualFold(v.Author, author) && v.Version == version {
				return "Table map " + ar.cat.displayName(m) + " already has version " + mapversion.String(version) + " by " + v.Author + "."
			}
		}
	}
	m.Templates = append(m.Templates, &pairstate.Template{ID: id, Author: author, Version: version, Created: ar.clock().UTC(), Def: def})
	if m.Active == "" {
		m.Active = id
	}
	return ""
}

// mapForRow finds the map a row is a version of: the map named in the row's name
// ("{prefix}_[{map name}]" [O: CKP]). A row that names no map adds one ("Add table map"), so several
// maps can join the same two tables.
func (ct *catalog) mapForRow(st *pairstate.State, name string) *pairstate.Map {
	sub := entityMapName.FindStringSubmatch(name)
	if sub == nil {
		return nil
	}
	for _, m := range st.Maps {
		if strings.EqualFold(ct.displayName(m), sub[1]) {
			return m
		}
	}
	return nil
}

// solutionRow finds a solution by its unique name.
func (ar *artefacts) solutionRow(ctx context.Context, uniqueName string) (store.Row, bool, error) {
	t, ok := ar.store.Table(store.Dataverse, solutionTable)
	if !ok {
		return store.Row{}, false, nil
	}
	var out store.Row
	found := false
	err := ar.store.Scan(ctx, store.Dataverse, t.Name, "", func(row store.Row) (bool, error) {
		if strings.EqualFold(wire.AnyString(row.Data["uniquename"]), uniqueName) {
			out, found = row, true
			return false, nil
		}
		return true, nil
	})
	return out, found, err
}

// publisherName is the friendly name of a solution's publisher, the author of its map versions.
func (ar *artefacts) publisherName(ctx context.Context, sol store.Row) string {
	id := wire.AnyString(sol.Data["_publisherid_value"])
	if id != "" {
		if row, found, err := ar.store.Get(ctx, store.Dataverse, publisherTable, id); err == nil && found {
			if name := wire.AnyString(row.Data["friendlyname"]); name != "" {
				return name
			}
			return wire.AnyString(row.Data["uniquename"])
		}
	}
	return wire.AnyString(sol.Data["uniquename"])
}

// addToSolution makes a new msdyn_dualwriteentitymap row a component of the unmanaged solution
// the create named in MSCRM.SolutionUniqueName [D]. The emulator keeps the membership in the row's
// solutionid; other tables ignore the header.
func (ar *artefacts) addToSolution(ctx context.Context, t *store.Table, row *store.Row, uniqueName string) *wire.Error {
	if uniqueName == "" || t.Name != entityMapTable {
		return nil
	}
	sol, found, err := ar.solutionRow(ctx, uniqueName)
	if err != nil {
		return wire.StoreError(err)
	}
	if !found {
		return wire.NewError(http.StatusNotFound, "0x8004a002", "A solution with the unique name %s does not exist.", uniqueName)
	}
	if managed, _ := sol.Data["ismanaged"].(bool); managed {
		return wire.NewError(http.StatusBadRequest, "0x8004a001", "Solution %s is managed; components can only be added to unmanaged solutions.", uniqueName)
	}
	row.Data["solutionid"] = sol.ID
	if _, err := ar.store.Put(ctx, t, *row); err != nil {
		return wire.StoreError(err)
	}
	return nil
}
