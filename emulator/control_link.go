package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

func equalFoldTrim(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "/"), strings.TrimSuffix(b, "/"))
}

// finOpsHosts are the names the emulator's F&O environment answers to in Environments.
func (c *controlPlane) finOpsHosts() []string {
	var out []string
	for _, u := range loopbackAliases(c.e.info.FinOpsURL) {
		if p, err := url.Parse(u); err == nil {
			out = append(out, p.Host, p.Hostname())
		}
	}
	return out
}

// environments resolves the link of an F&O environment by host name [O].
func (c *controlPlane) environments(_ context.Context, r *http.Request, st *ctlState) (any, error) {
	q := r.URL.Query()
	if !strings.EqualFold(q.Get("targetType"), "AX") {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "targetType must be AX.")
	}
	id := strings.TrimSuffix(strings.ToLower(q.Get("identifier")), "/")
	known := false
	for _, h := range c.finOpsHosts() {
		known = known || strings.EqualFold(h, id)
	}
	if !known {
		return nil, gwErr(http.StatusNotFound, "EnvironmentNotFound", "Finance and operations apps environment %s is not discoverable.", id)
	}
	if st.Link == nil {
		return []any{}, nil
	}
	return []any{map[string]any{"cid": st.Link.CID, "cname": st.Link.CName, "targetType": "AX", "displayName": id,
		"detail": map[string]any{"isSolutionAware": true}, "powerAppsEnvironment": st.Link.Organization}}, nil
}

// connectionSet renders the link in the shape of GET /api/ConnectionSet/{cname} [O].
func (c *controlPlane) connectionSet(ctx context.Context, l *ctlLink) (map[string]any, error) {
	var schemas []any
	tables := make([]string, 0, len(l.Keys))
	for t := range l.Keys {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range tables {
		schemas = append(schemas, map[string]any{"name": t, "keys": []any{
			map[string]any{"name": "userKey", "fields": l.Keys[t], "isIntegrationKey": true}}})
	}
	mappings := []any{}
	for _, code := range l.LegalEntities {
		name, id, err := c.companyNames(ctx, code)
		if err != nil {
			return nil, err
		}
		mappings = append(mappings, map[string]any{"left": map[string]any{"name": code, "id": code},
			"right": map[string]any{"name": name, "id": id}})
	}
	alerts := []json.RawMessage{}
	alerts = append(alerts, l.Alerts...)
	foHost := c.finOpsHosts()[0]
	return map[string]any{"id": l.CID, "name": l.CName, "forDualWrite": true,
		"environments": []any{
			map[string]any{"targetType": "AX", "name": foHost, "displayName": foHost, "id": foHost, "directUrl": c.e.info.FinOpsURL},
			map[string]any{"targetType": "CRM", "name": l.Organization, "displayName": l.DataverseURL, "id": l.Organization,
				"directUrl": l.DataverseURL, "schemas": nonNilSlice(schemas)},
		},
		"dualWriteDetail": map[string]any{"isSolutionAware": true, "legalEntityMappings": map[string]any{"mappings": mappings},
			"conflictResolution": map[string]any{"option": "1", "master": "CRM"}, "alertSettings": alerts},
	}, nil
}

func nonNilSlice(s []any) []any {
	if s == nil {
		return []any{}
	}
	return s
}

func (c *controlPlane) getConnectionSet(ctx context.Context, r *http.Request, st *ctlState) (any, error) {
	l, err := needLink(st)
	if err != nil {
		return nil, err
	}
	if !equalFoldTrim(l.CName, r.PathValue("cname")) && !equalFoldTrim(l.CID, r.PathValue("cname")) {
		return nil, gwErr(http.StatusNotFound, "ConnectionSetNotFound", "Connection set %s was not found.", r.PathValue("cname"))
	}
	return c.connectionSet(ctx, l)
}

// createLink links the pair [U]: one link per pair; the Dataverse environment must be this pair's.
func (c *controlPlane) createLink(ctx context.Context, r *http.Request, st *ctlState) (any, error) {
	var body struct {
		Environments []struct {
			TargetType string `json:"targetType"`
			Name       string `json:"name"`
			DirectURL  string `json:"directUrl"`
		} `json:"environments"`
		LegalEntities []string `json:"legalEntities"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	if st.Link != nil {
		return nil, gwErr(http.StatusConflict, "ConnectionSetExists",
			"The finance and operations environment is already linked to %s. Dual-write links one environment with one Dataverse environment; reset the link first.", st.Link.DataverseURL)
	}
	var dv string
	for _, e := range body.Environments {
		if strings.EqualFold(e.TargetType, "CRM") {
			dv = e.DirectURL
		}
	}
	if !audienceMatches(dv, loopbackAliases(c.e.info.DataverseURL)) {
		return nil, gwErr(http.StatusBadRequest, "EnvironmentNotFound", "Dataverse environment %q was not found among the environments of the tenant.", dv)
	}
	now := c.e.clock().UTC()
	cid := newGUID()
	st.Link = &ctlLink{CID: cid, CName: "dualwrite_" + strings.ReplaceAll(cid[:8], "-", ""), DataverseURL: strings.TrimSuffix(c.e.info.DataverseURL, "/"),
		Organization: c.e.id.OrganizationID, Keys: map[string][]string{}, Created: now}
	c.seedMapsFor(st, now)
	c.defaultKeys(st)
	for _, m := range st.Maps {
		if err := c.writeEntityMaps(ctx, m); err != nil {
			return nil, err
		}
	}
	if err := c.addCompanies(ctx, st, body.LegalEntities); err != nil {
		return nil, err
	}
	return c.connectionSet(ctx, st.Link)
}

// reset deletes the runtime configuration and the link's configuration data: maps back to Not
// running without projects, integration keys, legal-entity mappings, alert settings, request and
// initial-sync history [D]. Without force it is refused while a map runs.
func (c *controlPlane) reset(ctx context.Context, r *http.Request, st *ctlState) (any, error) {
	l, err := needCID(st, r.PathValue("cid"))
	if err != nil {
		return nil, err
	}
	force := strings.EqualFold(r.URL.Query().Get("forceReset"), "true")
	for _, m := range st.Maps {
		if !m.editable() && !force {
			return nil, gwErr(http.StatusBadRequest, "MapsRunning", "Stop all table maps before you reset the link, or select Force reset. Map %s is %s.", c.displayName(m), stateName(m.State))
		}
	}
	if err := c.deleteAllArtefacts(ctx); err != nil {
		return nil, err
	}
	c.seedMapsFor(st, c.e.clock())
	l.LegalEntities, l.Keys, l.Alerts = nil, map[string][]string{}, nil
	l.DataverseURL, l.Organization = strings.TrimSuffix(c.e.info.DataverseURL, "/"), c.e.id.OrganizationID
	st.Requests, st.Executions = map[string]*ctlRequest{}, map[string][]ctlExecution{}
	return nil, nil
}

func stateName(s int) string {
	return map[int]string{mapNone: "None", mapStopped: "Stopped", mapInitialSync: "Initializing", mapCatchUp: "Resuming",
		mapRunning: "Running", mapPaused: "Paused", mapNotRunning: "Not running"}[s]
}

func (c *controlPlane) setAlerts(_ context.Context, r *http.Request, st *ctlState) (any, error) {
	l, err := needCID(st, r.PathValue("cid"))
	if err != nil {
		return nil, err
	}
	var alerts []json.RawMessage
	if err := readJSON(r, &alerts); err != nil {
		return nil, err
	}
	for _, a := range alerts {
		var v struct {
			Name   *string `json:"name"`
			Action string  `json:"action"`
		}
		if json.Unmarshal(a, &v) != nil || v.Name == nil || (v.Action != "Pause" && v.Action != "Stop") {
			return nil, gwErr(http.StatusBadRequest, "BadRequest", "An alert setting needs a name and the action Pause or Stop.")
		}
	}
	l.Alerts = alerts
	return nil, nil
}
