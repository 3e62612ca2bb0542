package dualwrite

import (
	"context"
	"fmt"
	"net/url"

	"github.com/dwctl/dwctl/providers"
)

// Maps lists every map of the link in one call (GET Entities) [O].
func (c *Client) Maps(ctx context.Context, link providers.LinkInfo) ([]providers.Map, error) {
	k := call{step: "list maps", target: link.ConnectionSetName, method: "GET",
		path: ManagementPath + "Entities?targetType=AX&cid=" + url.QueryEscape(link.ConnectionSetID)}
	body, err := c.do(ctx, k)
	if err != nil {
		return nil, err
	}
	wire, err := decodeMaps(k.name(), body)
	if err != nil {
		return nil, err
	}
	out := make([]providers.Map, len(wire))
	for i := range wire {
		out[i] = wire[i].toMap()
	}
	return out, nil
}

// MapDefinition reads the definition of one map version [U: the gateway serves a project's
// definition by pid ({pid}/FieldMappings); this call reads a template's by tid].
func (c *Client) MapDefinition(ctx context.Context, link providers.LinkInfo, templateID string) (providers.MapDefinition, error) {
	k := call{step: "read map definition", target: templateID, method: "GET",
		path: ManagementPath + "Templates/" + url.PathEscape(templateID) + "/FieldMappings?cid=" + url.QueryEscape(link.ConnectionSetID)}
	body, err := c.do(ctx, k)
	if err != nil {
		return providers.MapDefinition{}, err
	}
	return decodeDefinition(k.name(), body)
}

// SaveVersion saves def as a new version of m under publisher (a new map when m.TemplateID is
// empty) [U: the shape of this call; the workspace asks for a publisher and a version when a map
// is saved].
func (c *Client) SaveVersion(ctx context.Context, link providers.LinkInfo, m providers.Map, def providers.MapDefinition, publisher, version string) (providers.MapTemplate, error) {
	v, err := parseVersion(version)
	if err != nil {
		return providers.MapTemplate{}, fmt.Errorf("dual-write: save version of %q: %w", m.DisplayName, err)
	}
	body := map[string]any{"cid": link.ConnectionSetID, "tid": m.TemplateID, "author": publisher, "version": v,
		"project": encodeDefinition(m.DisplayName, def)}
	k := call{step: "save version", target: m.DisplayName, method: "POST", path: ManagementPath + "Templates", body: body}
	out, err := c.do(ctx, k)
	if err != nil {
		return providers.MapTemplate{}, err
	}
	var t *wireTemplate
	if err := decodeJSON(k.name(), out, &t); err != nil {
		return providers.MapTemplate{}, err
	}
	ch := &checker{call: k.name()}
	if t.check(ch, "(body)"); ch.err != nil {
		return providers.MapTemplate{}, ch.err
	}
	return t.template(), nil
}

// AddMap adds a new table map with def as its first version under publisher, as the workspace's
// "Add table map" does [U: the shape of this call]. The map is not running.
func (c *Client) AddMap(ctx context.Context, link providers.LinkInfo, def providers.MapDefinition, publisher, version string) (providers.MapTemplate, error) {
	return c.SaveVersion(ctx, link, providers.Map{DisplayName: def.FinOpsEntity + " (" + def.DataverseEntitySet + ")"}, def, publisher, version)
}

// SwitchVersion makes templateID the active version of m [O].
func (c *Client) SwitchVersion(ctx context.Context, link providers.LinkInfo, m providers.Map, templateID string) error {
	path := ManagementPath + "SolutionAware/" + url.PathEscape(link.ConnectionSetID) + "/SwitchActive/" + url.PathEscape(templateID)
	if m.ProjectID != "" {
		path += "?pid=" + url.QueryEscape(m.ProjectID)
	}
	_, err := c.do(ctx, call{step: "switch version", target: m.DisplayName, method: "POST", path: path, body: templateID, repeatable: true})
	return err
}

// InitialSyncResults reads the initial-sync results of m per company [O].
func (c *Client) InitialSyncResults(ctx context.Context, link providers.LinkInfo, m providers.Map) ([]providers.SyncResult, error) {
	if m.ProjectID == "" {
		return nil, fmt.Errorf("dual-write: initial-sync results of %q: the map has no project yet (never initialised)", m.DisplayName)
	}
	k := call{step: "read initial-sync results", target: m.DisplayName, method: "GET",
		path: "api/ProjectExecutionWithCompanies/" + url.PathEscape(m.ProjectID)}
	body, err := c.do(ctx, k)
	if err != nil {
		return nil, err
	}
	return decodeResults(k.name(), body)
}
