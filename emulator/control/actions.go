package control

import (
	"context"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/mapping"
)

// maxMapRequests is how many requests a map keeps in lastRequests.
const maxMapRequests = 10

type startBody struct {
	Action  any `json:"action"`
	Details []struct {
		TID        string         `json:"tid"`
		PID        string         `json:"pid"`
		CID        string         `json:"cid"`
		Parameters map[string]any `json:"parameters"`
	} `json:"details"`
}

// start makes one request for the maps of the body [O]; it is carried out when polled.
func (c *Plane) start(_ context.Context, r *http.Request, st *pairstate.State) (any, error) {
	var b startBody
	if err := readJSON(r, &b); err != nil {
		return nil, err
	}
	action := rawInt([]byte(mapping.Text(b.Action)))
	if action != pairstate.ActStart && action != pairstate.ActStop && action != pairstate.ActPause && action != pairstate.ActResume && action != pairstate.ActInitialize {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "Unknown action %v.", b.Action)
	}
	if len(b.Details) == 0 {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "No table maps were given.")
	}
	now := c.clock().UTC()
	req := &pairstate.Request{ID: wire.NewGUID(), Action: action, State: pairstate.ReqWaiting, Created: now, Modified: now,
		PollsLeft: int(c.polls.Load()), Params: b.Details[0].Parameters}
	var maps []*pairstate.Map
	for _, d := range b.Details {
		if _, err := needCID(st, d.CID); err != nil {
			return nil, err
		}
		m, _, err := c.cat.findTemplate(st, d.TID)
		if err != nil {
			return nil, err
		}
		// tid is the active template's id [O: DWMapEngine.cs:1748, 1795]; pid, when sent, the map's project.
		if !strings.EqualFold(d.TID, m.Active) {
			return nil, gwErr(http.StatusBadRequest, "TemplateNotActive", "Template %s is not the active version of table map %s; its active version is %s.", d.TID, c.cat.displayName(m), m.Active)
		}
		if d.PID != "" && !strings.EqualFold(d.PID, m.PID) {
			return nil, gwErr(http.StatusBadRequest, "ProjectMismatch", "Project %s is not the project of table map %s.", d.PID, c.cat.displayName(m))
		}
		if action != pairstate.ActInitialize && action != pairstate.ActStart && m.PID == "" {
			return nil, gwErr(http.StatusBadRequest, "ProjectNotFound", "Table map %s is not initialized.", c.cat.displayName(m))
		}
		maps = append(maps, m)
		req.Templates = append(req.Templates, m.Active)
	}
	for _, m := range maps {
		switch {
		case action == pairstate.ActStart && m.Editable() && !skipInitialSync(req.Params):
			m.State = pairstate.MapInitialSync
		case action == pairstate.ActResume && m.State == pairstate.MapPaused:
			m.State = pairstate.MapCatchUp
		}
		m.Requests = append(m.Requests, req.ID)
		if len(m.Requests) > maxMapRequests {
			m.Requests = m.Requests[len(m.Requests)-maxMapRequests:]
		}
	}
	st.Requests[req.ID] = req
	return map[string]any{"requestId": req.ID}, nil
}

func skipInitialSync(p map[string]any) bool {
	v, _ := p["skipInitialSync"].(bool)
	return v
}

// master is the side that wins initial-sync conflicts: "CRM" (default) or "AX" [O].
func master(p map[string]any) string {
	if cr, ok := p["conflictResolution"].(map[string]any); ok {
		if m, _ := cr["master"].(string); strings.EqualFold(m, "AX") {
			return "AX"
		}
	}
	return "CRM"
}

// status answers the maps of a request; a Waiting request is carried out once its polls are used.
func (c *Plane) status(ctx context.Context, id string, st *pairstate.State) (any, error) {
	req, ok := st.Requests[id]
	if !ok {
		return nil, gwErr(http.StatusNotFound, "RequestNotFound", "Request %s was not found.", id)
	}
	if req.State == pairstate.ReqWaiting {
		if req.PollsLeft > 0 {
			req.PollsLeft--
		} else if err := c.carryOut(ctx, st, req); err != nil {
			return nil, err
		}
		req.Modified = c.clock().UTC()
	}
	out := []any{}
	for _, m := range c.cat.sortedMaps(st) {
		for _, id := range m.Requests {
			if id == req.ID {
				out = append(out, c.cat.dwMap(st, m))
				break
			}
		}
	}
	return out, nil
}

// carryOut performs a request on each of its maps; failures make the request end in Error with
// their messages, the other maps still change.
func (c *Plane) carryOut(ctx context.Context, st *pairstate.State, req *pairstate.Request) error {
	var msgs []string
	for _, tid := range req.Templates {
		m := st.MapByTemplate(tid)
		if m == nil {
			msgs = append(msgs, "Table map "+tid+" no longer exists.")
			continue
		}
		msg, err := c.transition(ctx, st, m, req)
		if err != nil {
			return err
		}
		if msg != "" {
			msgs = append(msgs, msg)
		}
	}
	req.State = pairstate.ReqCompleted
	if len(msgs) > 0 {
		req.State, req.Error = pairstate.ReqError, strings.Join(msgs, " ")
	}
	return nil
}

// transition moves one map through the state machine of the notes [D]/[O]: Not running or Stopped
// → (Initializing) → Running ↔ Paused → (Resuming) → Running; Running or Paused → Stopped. It
// returns the service's message when the map cannot make the move.
func (c *Plane) transition(ctx context.Context, st *pairstate.State, m *pairstate.Map, req *pairstate.Request) (string, error) {
	name := c.cat.displayName(m)
	from := m.State
	if from == pairstate.MapInitialSync {
		from = pairstate.MapNotRunning
	}
	switch req.Action {
	case pairstate.ActInitialize:
		c.ensureProject(m)
		return "", nil
	case pairstate.ActStart:
		if from != pairstate.MapNotRunning && from != pairstate.MapStopped && from != pairstate.MapNone {
			return "Table map " + name + " cannot be started: it is " + stateName(from) + ".", nil
		}
		if msg := c.cat.checkKeyMapped(st, m); msg != "" {
			m.State = from
			return "Unable to complete initial data sync for " + name + ". " + msg, nil
		}
		c.ensureProject(m)
		if !skipInitialSync(req.Params) {
			if err := c.initialSync(ctx, st, m, st.Link.LegalEntities, master(req.Params), req.ID); err != nil {
				return "", err
			}
		}
		m.State = pairstate.MapRunning
		return "", c.art.writeArtefacts(ctx, st, m)
	case pairstate.ActStop:
		if from != pairstate.MapRunning && from != pairstate.MapPaused && from != pairstate.MapCatchUp {
			return "Table map " + name + " cannot be stopped: it is " + stateName(from) + ".", nil
		}
		m.State = pairstate.MapStopped
		if m.PID != "" {
			if err := c.store.DiscardQueue(ctx, m.PID); err != nil {
				return "", err
			}
		}
		return "", c.art.writeArtefacts(ctx, st, m)
	case pairstate.ActPause:
		if from != pairstate.MapRunning {
			return "Table map " + name + " cannot be paused: it is " + stateName(from) + ".", nil
		}
		m.State = pairstate.MapPaused
		return "", c.art.writeArtefacts(ctx, st, m)
	case pairstate.ActResume:
		if from != pairstate.MapCatchUp && from != pairstate.MapPaused {
			return "Table map " + name + " cannot be resumed: it is " + stateName(from) + ".", nil
		}
		m.State = pairstate.MapRunning
		msg, err := c.catchUp(ctx, st, m, req.Params)
		if err != nil {
			return "", err
		}
		return msg, c.art.writeArtefacts(ctx, st, m)
	}
	return "Unknown action.", nil
}

func (c *Plane) ensureProject(m *pairstate.Map) {
	if m.PID == "" {
		m.PID = wire.NewGUID()
	}
}

// checkKeyMapped finds what keeps a map from starting: no integration key on its table (DIPV1003)
// or a key field no field mapping fills (DIPV1014); the company path of a company-specific map is
// implicit [D].
func (ct *catalog) checkKeyMapped(st *pairstate.State, m *pairstate.Map) string {
	def := m.ActiveTemplate().Def
	dv, ok := ct.store.TableBySet(store.Dataverse, def.Dataverse)
	if !ok {
		return "DIPV1022: table " + def.Dataverse + " is missing."
	}
	key := st.Link.Keys[dv.Name]
	if len(key) == 0 {
		return "DIPV1003: the integration key is not defined for table " + dv.Name + "."
	}
	for _, f := range key {
		if ct.isCompanyPath(dv, f) {
			continue
		}
		mapped := false
		for _, fm := range def.Fields {
			mapped = mapped || strings.EqualFold(fm.Dataverse, f)
		}
		if !mapped {
			return "DIPV1014: integration key field " + f + " of table " + dv.Name + " is not mapped."
		}
	}
	return ""
}

// isCompanyPath reports whether f is the company lookup path of a company-specific table.
func (ct *catalog) isCompanyPath(t *store.Table, f string) bool {
	head, _, _ := strings.Cut(f, ".")
	return t.CompanyColumn != "" && strings.EqualFold(head, t.CompanyColumn)
}
