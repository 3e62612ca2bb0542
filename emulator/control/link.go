package control

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/emulator/authority"
	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

func equalFoldTrim(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "/"), strings.TrimSuffix(b, "/"))
}

// finOpsHosts are the names the emulator's F&O environment answers to in Environments.
func (ct *catalog) finOpsHosts() []string {
	var out []string
	for _, u := range authority.LoopbackAliases(ct.urls.FinOpsURL) {
		if p, err := url.Parse(u); err == nil {
			out = append(out, p.Host, p.Hostname())
		}
	}
	return out
}

// environments resolves the link of an F&O environment by host name [O].
func (c *Plane) environments(_ context.Context, r *http.Request, st *pairstate.State) (any, error) {
	q := r.URL.Query()
	if !strings.EqualFold(q.Get("targetType"), "AX") {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "targetType must be AX.")
	}
	id := strings.TrimSuffix(strings.ToLower(q.Get("identifier")), "/")
	known := false
	for _, h := range c.cat.finOpsHosts() {
		known = known || strings.EqualFold(h, id)
	}
	if !known {
		return nil, gwErr(http.StatusNotFound, "EnvironmentNotFound", "Finance and operations apps environment %s is not discoverable.", id)
	}
	if st.Link == nil {
		return []any{}, nil
	}
	return []any{map[string]any{"cid": st.Link.CID, "cname": st.Link.CName, "targetType": "AX", "displayName": id,
		"detail": map[string]any{"isSolutionAware": true}, "powerAppsEnvironment": c.cat.finOpsEnvironment()["powerAppsEnvironment"]}}, nil
}

// connectionSet renders the link in the shape of GET /api/ConnectionSet/{cname} [O:
// DWConnectionSet.cs]: the environments are an object keyed by environment name, the legal
// entities' codes are the left names, and each Dataverse schema carries its integration key as the
// key named userKeys (several fields) or userKey (one) beside the hard-coded key of the table.
func (ct *catalog) connectionSet(ctx context.Context, l *pairstate.Link) (map[string]any, error) {
	mappings := []any{}
	for _, code := range l.LegalEntities {
		name, id, err := ct.companyNames(ctx, code)
		if err != nil {
			return nil, err
		}
		mappings = append(mappings, map[string]any{"left": map[string]any{"name": strings.ToLower(code), "id": wire.StableGUID("legal-entity:" + strings.ToLower(code))},
			"right": map[string]any{"name": name, "id": id}})
	}
	alerts := []json.RawMessage{}
	alerts = append(alerts, l.Alerts...)
	fo, dv := ct.finOpsEnvironment(), ct.dataverseEnvironment(l)
	return map[string]any{"id": l.CID, "name": l.CName, "forDualWrite": true,
		"environments": map[string]any{fo["name"].(string): fo, dv["name"].(string): dv},
		"dualWriteDetail": map[string]any{"isSolutionAware": true,
			"legalEntityMappings":        map[string]any{"leftEnvironment": fo["name"], "rightEnvironment": dv["name"], "mappings": mappings},
			"conflictResolution":         map[string]any{"option": "1", "master": "CRM"},
			"alertSettings":              alerts,
			"autoPauseThresholdSettings": []any{}},
	}, nil
}

// schemasOf renders the Dataverse schemas of the link's integration keys.
func (ct *catalog) schemasOf(l *pairstate.Link) []any {
	var schemas []any
	tables := make([]string, 0, len(l.Keys))
	for t := range l.Keys {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range tables {
		name := "userKey"
		if len(l.Keys[t]) > 1 {
			name = "userKeys"
		}
		keys := []any{map[string]any{"name": name, "displayName": name, "fields": l.Keys[t], "isIntegrationKey": true,
			"isPrimaryKey": false, "isCustomized": true, "isHardcoded": false}}
		if tbl, ok := ct.store.Table(store.Dataverse, t); ok && tbl.PrimaryID != "" {
			keys = append(keys, map[string]any{"name": "primaryKey", "displayName": "primaryKey", "fields": []string{tbl.PrimaryID},
				"isIntegrationKey": false, "isPrimaryKey": true, "isCustomized": false, "isHardcoded": true})
		}
		schemas = append(schemas, map[string]any{"$id": wire.StableGUID("schema:" + t), "id": t, "targetType": "CRM", "name": t, "keys": keys})
	}
	return schemas
}

// finOpsEnvironment is the F&O environment of the connection set.
func (ct *catalog) finOpsEnvironment() map[string]any {
	host := ct.finOpsHosts()[0]
	return map[string]any{"targetType": "AX", "name": "ax_" + strings.NewReplacer(".", "_", ":", "_").Replace(host),
		"connectionDisplayName": host, "environmentDisplayName": host, "powerAppsEnvironment": wire.StableGUID("powerapps-environment:" + host),
		"isDevInstance": true, "directUrl": ct.urls.FinOpsURL, "schemas": []any{}}
}

// dataverseEnvironment is the Dataverse environment of the connection set; its name is the dataset
// of the integration keys.
func (ct *catalog) dataverseEnvironment(l *pairstate.Link) map[string]any {
	return map[string]any{"targetType": "CRM", "name": l.Dataset, "connectionSetName": l.CName,
		"connectionDisplayName": l.DataverseURL, "environmentDisplayName": l.DataverseURL, "powerAppsEnvironment": l.Environment,
		"isDevInstance": true, "directUrl": l.DataverseURL, "schemas": nonNilSlice(ct.schemasOf(l))}
}

func nonNilSlice(s []any) []any {
	if s == nil {
		return []any{}
	}
	return s
}

func (c *Plane) getConnectionSet(ctx context.Context, r *http.Request, st *pairstate.State) (any, error) {
	l, err := needLink(st)
	if err != nil {
		return nil, err
	}
	if !equalFoldTrim(l.CName, r.PathValue("cname")) && !equalFoldTrim(l.CID, r.PathValue("cname")) {
		return nil, gwErr(http.StatusNotFound, "ConnectionSetNotFound", "Connection set %s was not found.", r.PathValue("cname"))
	}
	return c.cat.connectionSet(ctx, l)
}

// createLink links the pair [U]: one link per pair; the Dataverse environment must be this pair's.
func (c *Plane) createLink(ctx context.Context, r *http.Request, st *pairstate.State) (any, error) {
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
	if !authority.AudienceMatches(dv, authority.LoopbackAliases(c.urls.DataverseURL)) {
		return nil, gwErr(http.StatusBadRequest, "EnvironmentNotFound", "Dataverse environment %q was not found among the environments of the tenant.", dv)
	}
	now := c.clock().UTC()
	cid := wire.NewGUID()
	st.Link = &pairstate.Link{CID: cid, CName: "dualwrite_" + strings.ReplaceAll(cid[:8], "-", ""), DataverseURL: strings.TrimSuffix(c.urls.DataverseURL, "/"),
		Organization: c.id.OrganizationID, Keys: map[string][]string{}, Created: now}
	st.Link.Environment, st.Link.Dataset = c.cat.dataverseNames(st.Link.Organization)
	c.cat.seedMapsFor(st, now)
	c.cat.defaultKeys(st)
	for _, m := range st.Maps {
		if err := c.art.writeEntityMaps(ctx, m); err != nil {
			return nil, err
		}
	}
	if err := c.art.addCompanies(ctx, st, body.LegalEntities); err != nil {
		return nil, err
	}
	return c.cat.connectionSet(ctx, st.Link)
}

// resetBody is Reset's body [O: ResetLinkPayload.cs:11-23, ResetLinkEngine.cs:100-147].
type resetBody struct {
	PowerAppsEnvironmentName string `json:"powerAppsEnvironmentName"`
	Environments             []struct {
		TargetType    string `json:"targetType"`
		Name          string `json:"name"`
		DisplayName   string `json:"displayName"`
		ID            string `json:"id"`
		IsDevInstance bool   `json:"isDevInstance"`
		DirectURL     string `json:"directUrl"`
	} `json:"environments"`
	LegalEntities []string `json:"legalEntities"`
}

// check refuses a body that does not name the link's environments as the automation does: the
// Dataverse environment's powerAppsEnvironment, then the environments Dataverse first, each with its
// name and powerAppsEnvironment as id.
func (b *resetBody) check(ct *catalog, l *pairstate.Link) error {
	dv, fo := ct.dataverseEnvironment(l), ct.finOpsEnvironment()
	if b.PowerAppsEnvironmentName != l.Environment {
		return gwErr(http.StatusBadRequest, "BadRequest", "powerAppsEnvironmentName %q is not the Dataverse environment %s of the connection set.", b.PowerAppsEnvironmentName, l.Environment)
	}
	want := []map[string]any{dv, fo}
	if len(b.Environments) != len(want) {
		return gwErr(http.StatusBadRequest, "BadRequest", "The reset names %d environments; the connection set has 2 (Dataverse, then finance and operations).", len(b.Environments))
	}
	for i, e := range b.Environments {
		w := want[i]
		if e.TargetType != w["targetType"] || e.Name != w["name"] || e.ID != w["powerAppsEnvironment"] || e.DisplayName != w["environmentDisplayName"] {
			return gwErr(http.StatusBadRequest, "BadRequest", "environments[%d] (%s %s, id %s) is not the connection set's %s environment %s (id %s).",
				i, e.TargetType, e.Name, e.ID, w["targetType"], w["name"], w["powerAppsEnvironment"])
		}
	}
	return nil
}

// reset deletes the runtime configuration and the link's configuration data: maps back to Not
// running without projects, integration keys, alert settings, request and initial-sync history
// [D], and links again with the legal entities of the body [O: DWH README "using currently
// configured legal entities and relinks with them"]. Without force it is refused while a map runs.
func (c *Plane) reset(ctx context.Context, r *http.Request, st *pairstate.State) (any, error) {
	l, err := needCID(st, r.PathValue("cid"))
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(r.URL.Query().Get("targetType"), "AX") {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "targetType must be AX.")
	}
	var body resetBody
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	if err := body.check(c.cat, l); err != nil {
		return nil, err
	}
	force := strings.EqualFold(r.URL.Query().Get("forceReset"), "true")
	for _, m := range st.Maps {
		if !m.Editable() && !force {
			return nil, gwErr(http.StatusBadRequest, "MapsRunning", "Stop all table maps before you reset the link, or select Force reset. Map %s is %s.", c.cat.displayName(m), stateName(m.State))
		}
	}
	if err := c.art.deleteAllArtefacts(ctx); err != nil {
		return nil, err
	}
	c.cat.seedMapsFor(st, c.clock())
	l.LegalEntities, l.Keys, l.Alerts = nil, map[string][]string{}, nil
	l.DataverseURL, l.Organization = strings.TrimSuffix(c.urls.DataverseURL, "/"), c.id.OrganizationID
	l.Environment, l.Dataset = c.cat.dataverseNames(l.Organization)
	st.Requests, st.Executions = map[string]*pairstate.Request{}, map[string][]pairstate.Execution{}
	return nil, c.art.addCompanies(ctx, st, body.LegalEntities)
}

func stateName(s int) string {
	return map[int]string{pairstate.MapNone: "None", pairstate.MapStopped: "Stopped", pairstate.MapInitialSync: "Initializing", pairstate.MapCatchUp: "Resuming", pairstate.MapRunning: "Running", pairstate.MapPaused: "Paused", pairstate.MapNotRunning: "Not running"}[s]
}

func (c *Plane) setAlerts(_ context.Context, r *http.Request, st *pairstate.State) (any, error) {
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
