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
		out[i] = wire[i].toMap(fmt.Sprintf("%s: [%d]", k.name(), i))
	}
	return out, nil
}

// project reads the project of an initialised map: GET {pid}/FieldMappings [O: DWCommonEngine.cs:288-304].
func (c *Client) project(ctx context.Context, step string, m providers.Map) (*wireProject, string, error) {
	if m.ProjectID == "" {
		return nil, "", fmt.Errorf("dual-write: %s of %q: the map has no project yet (it was never initialised)", step, m.DisplayName)
	}
	k := call{step: step, target: m.DisplayName, method: "GET", path: ManagementPath + url.PathEscape(m.ProjectID) + "/FieldMappings", repeatable: true}
	body, err := c.do(ctx, k)
	if err != nil {
		return nil, "", err
	}
	p, err := decodeProject("GET {pid}/FieldMappings", body)
	return p, "GET {pid}/FieldMappings", err
}

// MapDefinition reads the definition of a map's active version from its project [O].
func (c *Client) MapDefinition(ctx context.Context, link providers.LinkInfo, m providers.Map) (providers.MapDefinition, error) {
	p, name, err := c.project(ctx, "read map definition", m)
	if err != nil {
		return providers.MapDefinition{}, err
	}
	return p.definition(name)
}

// RefreshTables refreshes the cached metadata of a map's tables: POST /api/Project/{project name}/Refresh
// with {"tokens":[""]} [O: DWMapEngine.cs:1438-1441], after reading the project for its name.
func (c *Client) RefreshTables(ctx context.Context, link providers.LinkInfo, m providers.Map) error {
	p, name, err := c.project(ctx, "refresh tables", m)
	if err != nil {
		return err
	}
	if p.Name == "" {
		return &ChangedError{Call: name, Field: "name", Problem: "is missing"}
	}
	_, err = c.do(ctx, call{step: "refresh tables", target: m.DisplayName, method: "POST", repeatable: true,
		path: "api/Project/" + url.PathEscape(p.Name) + "/Refresh", body: map[string][]string{"tokens": {""}}})
	return err
}

// Prerequisites returns the templates the service runs before templateID, in order:
// POST GetTemplatePrerequisiteSequences/{cid} with ["<templateId>"] answers [[id, …]] [O:
// DWMapEngine.cs:1551-1576]; the template itself is left out.
func (c *Client) Prerequisites(ctx context.Context, link providers.LinkInfo, templateID string) ([]string, error) {
	k := call{step: "read prerequisites", target: templateID, method: "POST", repeatable: true,
		path: ManagementPath + "GetTemplatePrerequisiteSequences/" + url.PathEscape(link.ConnectionSetID), body: []string{templateID}}
	body, err := c.do(ctx, k)
	if err != nil {
		return nil, err
	}
	var seqs *[][]string
	if err := decodeJSON(k.name(), body, &seqs); err != nil {
		return nil, err
	}
	out := []string{}
	if seqs == nil || len(*seqs) == 0 {
		return out, nil
	}
	for _, id := range (*seqs)[0] {
		if id != "" && id != templateID {
			out = append(out, id)
		}
	}
	return out, nil
}

// SwitchVersion makes templateID the active version of m [O: DWMapEngine.cs:1951-1963]: the body
// is the raw template id, and the map's project is always named (the map must be initialised).
func (c *Client) SwitchVersion(ctx context.Context, link providers.LinkInfo, m providers.Map, templateID string) error {
	if m.ProjectID == "" {
		return fmt.Errorf("dual-write: switch version of %q: the map has no project yet; initialise it first", m.DisplayName)
	}
	path := ManagementPath + "SolutionAware/" + url.PathEscape(link.ConnectionSetID) + "/SwitchActive/" + url.PathEscape(templateID) +
		"?pid=" + url.QueryEscape(m.ProjectID)
	_, err := c.do(ctx, call{step: "switch version", target: m.DisplayName, method: "POST", path: path, raw: []byte(templateID), repeatable: true})
	return err
}

// InitialSyncResults reads the newest initial-sync run of m per company [O].
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
