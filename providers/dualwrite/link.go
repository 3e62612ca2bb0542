package dualwrite

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// Link resolves the link of the F&O environment: Environments, then the connection set for the
// Dataverse environment it points at.
func (c *Client) Link(ctx context.Context) (providers.LinkInfo, bool, error) {
	k := call{step: "resolve link", target: c.finOps, method: "GET",
		path: ManagementPath + "Environments?targetType=AX&identifier=" + url.QueryEscape(c.finOps)}
	body, err := c.do(ctx, k)
	if err != nil {
		return providers.LinkInfo{}, false, err
	}
	var envs *[]wireEnvironment
	if err := decodeJSON(k.name(), body, &envs); err != nil {
		return providers.LinkInfo{}, false, err
	}
	ch := &checker{call: k.name()}
	if !ch.need("(body)", envs != nil) {
		return providers.LinkInfo{}, false, ch.result()
	}
	if len(*envs) == 0 {
		return providers.LinkInfo{}, false, nil
	}
	if len(*envs) > 1 {
		return providers.LinkInfo{}, false, &ChangedError{Call: k.name(), Field: "(body)",
			Problem: fmt.Sprintf("lists %d links for one F&O environment (dual-write links are 1:1)", len(*envs))}
	}
	e := (*envs)[0]
	if e.check(ch, "[0]"); ch.err != nil {
		return providers.LinkInfo{}, false, ch.err
	}
	link := providers.LinkInfo{ConnectionSetID: *e.CID, ConnectionSetName: *e.CName, FinOpsEnvironment: c.finOps,
		SolutionAware: *e.Detail.IsSolutionAware}
	cs, err := c.connectionSet(ctx, "resolve link", link)
	if err != nil {
		return providers.LinkInfo{}, false, err
	}
	fillDataverse(&link, cs)
	return link, true, nil
}

func fillDataverse(link *providers.LinkInfo, cs *wireConnectionSet) {
	if dv := cs.env(envDataverse); dv != nil {
		link.DataverseEnvironment = strings.TrimSuffix(dv.DirectURL, "/")
		link.DataverseOrganization = dv.ID
	}
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
// LCS or the Power Platform admin center; this call is dwctl's own shape [U].
func (c *Client) CreateLink(ctx context.Context, req providers.LinkRequest) (providers.LinkInfo, error) {
	body := map[string]any{
		"environments": []map[string]any{
			{"targetType": envFinOps, "name": c.finOps},
			{"targetType": envDataverse, "directUrl": req.DataverseEnvironment},
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

// ResetLink resets the link (without force: the service refuses while maps run) [O].
func (c *Client) ResetLink(ctx context.Context, link providers.LinkInfo) error {
	return c.ResetLinkForce(ctx, link, false)
}

// ResetLinkForce resets the link; force resets even while maps run (the workspace's "Force Reset").
func (c *Client) ResetLinkForce(ctx context.Context, link providers.LinkInfo, force bool) error {
	cs, err := c.connectionSet(ctx, "reset link", link)
	if err != nil {
		return err
	}
	envs := []map[string]any{}
	for _, e := range *cs.Environments {
		envs = append(envs, map[string]any{"targetType": *e.TargetType, "name": e.Name, "displayName": e.DisplayName,
			"id": e.ID, "isDevInstance": false, "directUrl": e.DirectURL})
	}
	les := []string{}
	for _, m := range *cs.DualWriteDetail.LegalEntityMappings.Mappings {
		les = append(les, *m.Left.ID)
	}
	body := map[string]any{"powerAppsEnvironmentName": link.DataverseEnvironment, "environments": envs, "legalEntities": les}
	_, err = c.do(ctx, call{step: "reset link", target: link.ConnectionSetName, method: "POST", body: body,
		path: "api/ConnectionSet/" + url.PathEscape(link.ConnectionSetID) + "/Reset?targetType=AX&forceReset=" + strconv.FormatBool(force)})
	return err
}

// LegalEntities lists the link's companies, from its connection set.
func (c *Client) LegalEntities(ctx context.Context, link providers.LinkInfo) ([]providers.LegalEntity, error) {
	cs, err := c.connectionSet(ctx, "list legal entities", link)
	if err != nil {
		return nil, err
	}
	out := []providers.LegalEntity{}
	for _, m := range *cs.DualWriteDetail.LegalEntityMappings.Mappings {
		le := providers.LegalEntity{Code: strings.ToUpper(*m.Left.ID), Name: m.Left.Name}
		if m.Right != nil && m.Right.Name != "" {
			le.Name = m.Right.Name
		}
		out = append(out, le)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// AddLegalEntities adds companies to the link [U: the shape of this call].
func (c *Client) AddLegalEntities(ctx context.Context, link providers.LinkInfo, codes []string, skipInitialWrites bool) error {
	_, err := c.do(ctx, call{step: "add legal entities", target: strings.Join(codes, ","), method: "POST",
		path: "api/ConnectionSet/" + url.PathEscape(link.ConnectionSetID) + "/LegalEntities",
		body: map[string]any{"legalEntities": nonNil(codes), "skipInitialWrites": skipInitialWrites}})
	return err
}

// RemoveLegalEntities removes companies from the link [U: the shape of this call].
func (c *Client) RemoveLegalEntities(ctx context.Context, link providers.LinkInfo, codes []string) error {
	_, err := c.do(ctx, call{step: "remove legal entities", target: strings.Join(codes, ","), method: "POST",
		path: "api/ConnectionSet/" + url.PathEscape(link.ConnectionSetID) + "/LegalEntities/Remove",
		body: map[string]any{"legalEntities": nonNil(codes)}})
	return err
}

// IntegrationKeys returns the integration keys of the link's Dataverse tables: the keys marked
// isIntegrationKey in the connection set's Dataverse schemas.
func (c *Client) IntegrationKeys(ctx context.Context, link providers.LinkInfo) (map[string][]string, error) {
	k := "list integration keys"
	cs, err := c.connectionSet(ctx, k, link)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	dv := cs.env(envDataverse)
	if dv == nil {
		return out, nil
	}
	ch := &checker{call: "GET api/ConnectionSet/" + link.ConnectionSetName}
	for i, s := range dv.Schemas {
		p := fmt.Sprintf("environments[CRM].schemas[%d]", i)
		if !ch.need(p+".name", s.Name != nil) {
			break
		}
		for j, key := range s.Keys {
			if ch.need(fmt.Sprintf("%s.keys[%d].fields", p, j), key.Fields != nil) && key.IsIntegrationKey {
				out[*s.Name] = append([]string(nil), *key.Fields...)
			}
		}
	}
	return out, ch.result()
}

// SetIntegrationKeys sets the keys of the tables given [O: POST api/dataset/{name}/IntegrationKeys].
func (c *Client) SetIntegrationKeys(ctx context.Context, link providers.LinkInfo, keys map[string][]string) error {
	tables := make([]string, 0, len(keys))
	for t := range keys {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	_, err := c.do(ctx, call{step: "set integration keys", target: strings.Join(tables, ","), method: "POST", repeatable: true,
		path: "api/dataset/" + url.PathEscape(link.ConnectionSetName) + "/IntegrationKeys",
		body: map[string]any{"datasetName": link.ConnectionSetName, "integrationKeys": keys}})
	return err
}

// Alerts returns the link's alert settings, from its connection set.
func (c *Client) Alerts(ctx context.Context, link providers.LinkInfo) ([]providers.AlertSetting, error) {
	cs, err := c.connectionSet(ctx, "list alerts", link)
	if err != nil {
		return nil, err
	}
	out := []providers.AlertSetting{}
	for i := range *cs.DualWriteDetail.AlertSettings {
		out = append(out, (*cs.DualWriteDetail.AlertSettings)[i].setting())
	}
	return out, nil
}

// SetAlerts replaces the link's alert settings [U: the shape of this call].
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
