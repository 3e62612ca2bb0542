package dualwrite

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// Probe reads GET Version [O: the portal's handshake, EdgeUniversal.cs:339-342]: the cheapest call
// that proves the token and the gateway work. The emulator says in its answer that it is one.
func (c *Client) Probe(ctx context.Context) (providers.Gateway, error) {
	k := call{step: "probe gateway", target: "Version", method: "GET", path: ManagementPath + "Version", repeatable: true}
	body, err := c.do(ctx, k)
	if err != nil {
		return providers.Gateway{}, err
	}
	var v struct {
		Version  json.RawMessage `json:"version"`
		Emulator bool            `json:"emulator"`
	}
	if json.Unmarshal(body, &v) != nil {
		// The real answer's shape is not observed [U]: any 2xx proves the token works.
		return providers.Gateway{Version: shorten(strings.TrimSpace(string(body)))}, nil
	}
	text, ok := scalarText(v.Version)
	if !ok {
		text = shorten(strings.TrimSpace(string(body)))
	}
	if v.Emulator {
		c.briskPoll.Store(true)
	}
	return providers.Gateway{Version: text, Emulator: v.Emulator}, nil
}

// Link resolves the link of the F&O environment: Environments, then the connection set for the
// Dataverse environment it points at.
func (c *Client) Link(ctx context.Context) (providers.LinkInfo, bool, error) {
	link, _, found, err := c.LinkWithDetails(ctx)
	return link, found, err
}

// LinkWithDetails is Link with the link's companies, integration keys and alert settings (Details)
// from the same read of its connection set.
func (c *Client) LinkWithDetails(ctx context.Context) (providers.LinkInfo, providers.LinkDetails, bool, error) {
	k := call{step: "resolve link", target: c.finOps, method: "GET",
		path: ManagementPath + "Environments?targetType=AX&identifier=" + url.QueryEscape(c.finOps)}
	body, err := c.do(ctx, k)
	if err != nil {
		return providers.LinkInfo{}, providers.LinkDetails{}, false, err
	}
	var envs *[]wireEnvironment
	if err := decodeJSON(k.name(), body, &envs); err != nil {
		return providers.LinkInfo{}, providers.LinkDetails{}, false, err
	}
	ch := &checker{call: k.name()}
	if !ch.need("(body)", envs != nil) {
		return providers.LinkInfo{}, providers.LinkDetails{}, false, ch.result()
	}
	if len(*envs) == 0 {
		return providers.LinkInfo{}, providers.LinkDetails{}, false, nil
	}
	if len(*envs) > 1 {
		return providers.LinkInfo{}, providers.LinkDetails{}, false, &ChangedError{Call: k.name(), Field: "(body)",
			Problem: fmt.Sprintf("lists %d links for one F&O environment (dual-write links are 1:1)", len(*envs))}
	}
	e := (*envs)[0]
	if e.check(ch, "[0]"); ch.err != nil {
		return providers.LinkInfo{}, providers.LinkDetails{}, false, ch.err
	}
	link := providers.LinkInfo{ConnectionSetID: *e.CID, ConnectionSetName: *e.CName, FinOpsEnvironment: c.finOps,
		SolutionAware: *e.Detail.IsSolutionAware}
	cs, err := c.connectionSet(ctx, "resolve link", link)
	if err != nil {
		return providers.LinkInfo{}, providers.LinkDetails{}, false, err
	}
	fillDataverse(&link, cs)
	return link, detailsOf(cs, call{method: "GET", path: "api/ConnectionSet/" + url.PathEscape(link.ConnectionSetName)}.name()), true, nil
}

func fillDataverse(link *providers.LinkInfo, cs *wireConnectionSet) {
	dv := cs.env(isDataverseType)
	link.DataverseEnvironment = strings.TrimSuffix(dv.DirectURL, "/")
	link.DataverseEnvironmentID = dv.PowerAppsEnvironment
	link.DataverseDataset = dv.Name
}

// connectionSet reads and checks the link's connection set.
func (c *Client) connectionSet(ctx context.Context, step string, link providers.LinkInfo) (*wireConnectionSet, error) {
	k := call{step: step, target: link.ConnectionSetName, method: "GET", path: "api/ConnectionSet/" + url.PathEscape(link.ConnectionSetName)}
	body, err := c.do(ctx, k)
	if err != nil {
		return nil, err
	}
	return decodeConnectionSet(k.name(), body)
}

func decodeConnectionSet(name string, body []byte) (*wireConnectionSet, error) {
	var cs wireConnectionSet
	if err := decodeJSON(name, body, &cs); err != nil {
		return nil, err
	}
	ch := &checker{call: name}
	cs.check(ch)
	return &cs, ch.result()
}

// CreateLink links the F&O environment with a Dataverse environment. The real service links through
// LCS or the Power Platform admin center; no public call shows it, so this request is dwctl's own
// guess in the shape of Reset's body (G5) [U].
func (c *Client) CreateLink(ctx context.Context, req providers.LinkRequest) (providers.LinkInfo, error) {
	body := map[string]any{
		"environments": []map[string]any{
			{"targetType": envDataverse, "directUrl": req.DataverseEnvironment},
			{"targetType": envFinOps, "name": c.finOps},
		},
		"legalEntities": nonNil(req.LegalEntities),
	}
	k := call{step: "create link", target: c.finOps, method: "POST", path: "api/ConnectionSet", body: body}
	out, err := c.do(ctx, k)
	if err != nil {
		return providers.LinkInfo{}, err
	}
	cs, err := decodeConnectionSet(k.name(), out)
	if err != nil {
		return providers.LinkInfo{}, err
	}
	link := providers.LinkInfo{ConnectionSetID: *cs.ID, ConnectionSetName: *cs.Name, FinOpsEnvironment: c.finOps,
		SolutionAware: cs.DualWriteDetail.IsSolutionAware}
	fillDataverse(&link, cs)
	return link, nil
}

// wireResetEnv is one environment of Reset's body [O: ResetLinkPayload.cs:11-23].
type wireResetEnv struct {
	TargetType    string `json:"targetType"`
	Name          string `json:"name"`
	DisplayName   string `json:"displayName"`
	ID            string `json:"id"`
	IsDevInstance bool   `json:"isDevInstance"`
	DirectURL     string `json:"directUrl"`
}

func resetEnv(e *wireCSEnv) wireResetEnv {
	return wireResetEnv{TargetType: *e.TargetType, Name: e.Name, DisplayName: e.EnvironmentDisplayName,
		ID: e.PowerAppsEnvironment, IsDevInstance: e.IsDevInstance, DirectURL: e.DirectURL}
}

// ResetLink resets the link [O: ResetLinkEngine.cs:55-67, 100-147]: the body names the Dataverse
// environment, then the F&O one, and the legal entities to link again (by default the ones the link
// has, by their left.name).
func (c *Client) ResetLink(ctx context.Context, link providers.LinkInfo, opts providers.ResetOptions) error {
	cs, err := c.connectionSet(ctx, "reset link", link)
	if err != nil {
		return err
	}
	dv, fo := cs.env(isDataverseType), cs.env(isFinOpsType)
	les := opts.LegalEntities
	if les == nil {
		les = []string{}
		for _, m := range *cs.DualWriteDetail.LegalEntityMappings.Mappings {
			if name := *m.Left.Name; !contains(les, name) {
				les = append(les, name)
			}
		}
	}
	body := map[string]any{"powerAppsEnvironmentName": dv.PowerAppsEnvironment,
		"environments": []wireResetEnv{resetEnv(dv), resetEnv(fo)}, "legalEntities": les}
	_, err = c.do(ctx, call{step: "reset link", target: link.ConnectionSetName, method: "POST", body: body,
		path: "api/ConnectionSet/" + url.PathEscape(link.ConnectionSetID) + "/Reset?targetType=AX&forceReset=" + strconv.FormatBool(opts.Force)})
	return err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// Details reads the link's companies, integration keys and alert settings from one read of its
// connection set [O].
func (c *Client) Details(ctx context.Context, link providers.LinkInfo) (providers.LinkDetails, error) {
	k := call{method: "GET", path: "api/ConnectionSet/" + url.PathEscape(link.ConnectionSetName)}
	cs, err := c.connectionSet(ctx, "read link", link)
	if err != nil {
		return providers.LinkDetails{}, err
	}
	return detailsOf(cs, k.name()), nil
}

// detailsOf reads a link's details from its connection set; callName names the read in warnings.
func detailsOf(cs *wireConnectionSet, callName string) providers.LinkDetails {
	d := providers.LinkDetails{LegalEntities: legalEntities(cs), IntegrationKeys: integrationKeys(cs)}
	d.Alerts, d.Warnings = cs.alerts(callName)
	return d
}

// legalEntities lists the link's companies: the code is the left (F&O) side's name [O].
func legalEntities(cs *wireConnectionSet) []providers.LegalEntity {
	out := []providers.LegalEntity{}
	seen := map[string]bool{}
	for _, m := range *cs.DualWriteDetail.LegalEntityMappings.Mappings {
		code := strings.ToUpper(*m.Left.Name)
		if seen[code] {
			continue
		}
		seen[code] = true
		le := providers.LegalEntity{Code: code}
		if m.Right != nil && m.Right.Name != nil {
			le.Name = *m.Right.Name
		}
		out = append(out, le)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// integrationKeys returns the integration keys of the Dataverse environment's schemas: per schema
// the key named userKeys, else userKey [O]. Schemas without a name are skipped.
func integrationKeys(cs *wireConnectionSet) map[string][]string {
	out := map[string][]string{}
	for _, s := range cs.env(isDataverseType).Schemas {
		if s.Name == nil || *s.Name == "" {
			continue
		}
		if fields, ok := s.integrationKey(); ok {
			out[*s.Name] = fields
		}
	}
	return out
}

// AddLegalEntities adds companies to the link. No public call shows it [U].
func (c *Client) AddLegalEntities(ctx context.Context, link providers.LinkInfo, codes []string, skipInitialWrites bool) error {
	_, err := c.do(ctx, call{step: "add legal entities", target: strings.Join(codes, ","), method: "POST",
		path: "api/ConnectionSet/" + url.PathEscape(link.ConnectionSetID) + "/LegalEntities",
		body: map[string]any{"legalEntities": nonNil(codes), "skipInitialWrites": skipInitialWrites}})
	return err
}

// RemoveLegalEntities removes companies from the link. No public call shows it [U].
func (c *Client) RemoveLegalEntities(ctx context.Context, link providers.LinkInfo, codes []string) error {
	_, err := c.do(ctx, call{step: "remove legal entities", target: strings.Join(codes, ","), method: "POST",
		path: "api/ConnectionSet/" + url.PathEscape(link.ConnectionSetID) + "/LegalEntities/Remove",
		body: map[string]any{"legalEntities": nonNil(codes)}})
	return err
}

// SetIntegrationKeys sets the keys of the tables given, one table per request, on the dataset of
// the link's Dataverse environment [O: DWMapEngine.cs:1499-1516].
func (c *Client) SetIntegrationKeys(ctx context.Context, link providers.LinkInfo, keys map[string][]string) error {
	if link.DataverseDataset == "" {
		return fmt.Errorf("dual-write: set integration keys: the link %s names no Dataverse dataset", link.ConnectionSetName)
	}
	tables := make([]string, 0, len(keys))
	for t := range keys {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range tables {
		body := map[string]any{"datasetName": link.DataverseDataset, "integrationKeys": map[string][]string{t: nonNil(keys[t])}}
		if _, err := c.do(ctx, call{step: "set integration key", target: t, method: "POST", repeatable: true, body: body,
			path: "api/dataset/" + url.PathEscape(link.DataverseDataset) + "/IntegrationKeys"}); err != nil {
			return err
		}
	}
	return nil
}

// SetAlerts replaces the link's alert settings. No public call shows it [U].
func (c *Client) SetAlerts(ctx context.Context, link providers.LinkInfo, alerts []providers.AlertSetting) error {
	body := []wireAlert{}
	for _, a := range alerts {
		w, err := alertOf(a)
		if err != nil {
			return fmt.Errorf("dual-write: set alerts: %w", err)
		}
		body = append(body, w)
	}
	_, err := c.do(ctx, call{step: "set alerts", target: link.ConnectionSetName, method: "POST", repeatable: true,
		path: "api/ConnectionSet/" + url.PathEscape(link.ConnectionSetID) + "/AlertSettings", body: body})
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
