package dataverse

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// all lists every row of set with the given columns.
func (c *Client) all(ctx context.Context, set string, columns []string) ([]providers.Row, error) {
	var rows []providers.Row
	err := c.ListRows(ctx, set, providers.Query{Select: columns}, func(page []providers.Row) error {
		rows = append(rows, page...)
		return nil
	})
	return rows, err
}

func str(r providers.Row, col string) string {
	switch v := r[col].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// Companies lists every cdm_companies row.
func (c *Client) Companies(ctx context.Context) ([]providers.Company, error) {
	rows, err := c.all(ctx, "cdm_companies", []string{"cdm_companyid", "cdm_companycode", "cdm_name", "_cdm_defaultowningteam_value"})
	if err != nil {
		return nil, err
	}
	out := make([]providers.Company, len(rows))
	for i, r := range rows {
		out[i] = providers.Company{ID: providers.GUID(str(r, "cdm_companyid")), Code: str(r, "cdm_companycode"), Name: str(r, "cdm_name"),
			DefaultOwningTeam: providers.GUID(str(r, "_cdm_defaultowningteam_value"))}
	}
	return out, nil
}

// EntityMaps lists every msdyn_dualwriteentitymaps row. A msdyn_mapping stored as a JSON string holding
// JSON (double-encoded, as seen in the wild [O]) is decoded once.
func (c *Client) EntityMaps(ctx context.Context) ([]providers.EntityMap, error) {
	rows, err := c.all(ctx, "msdyn_dualwriteentitymaps", []string{"msdyn_dualwriteentitymapid", "msdyn_name",
		"msdyn_displayname", "msdyn_version", "msdyn_mapping", "solutionid", "statecode"})
	if err != nil {
		return nil, err
	}
	out := make([]providers.EntityMap, len(rows))
	for i, r := range rows {
		state, _ := strconv.Atoi(str(r, "statecode"))
		out[i] = providers.EntityMap{
			ID: providers.GUID(str(r, "msdyn_dualwriteentitymapid")), Name: str(r, "msdyn_name"),
			DisplayName: str(r, "msdyn_displayname"), Version: str(r, "msdyn_version"),
			SolutionID: providers.GUID(str(r, "solutionid")), StateCode: state,
			Mapping: mappingJSON(str(r, "msdyn_mapping")),
		}
	}
	return out, nil
}

// mappingJSON returns the mapping document, unwrapping one level of string encoding; text that is not
// JSON is returned as a JSON string so that nothing is lost.
func mappingJSON(s string) json.RawMessage {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var inner string
		if json.Unmarshal([]byte(s), &inner) == nil {
			s = strings.TrimSpace(inner)
		}
	}
	if json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	quoted, _ := json.Marshal(s)
	return quoted
}

// RuntimeConfigs lists every msdyn_dualwriteruntimeconfigs row, with the map and version read from
// msdyn_unsecure when it parses [O].
func (c *Client) RuntimeConfigs(ctx context.Context) ([]providers.RuntimeConfig, error) {
	rows, err := c.all(ctx, "msdyn_dualwriteruntimeconfigs", []string{"msdyn_dualwriteruntimeconfigid", "msdyn_name",
		"msdyn_status", "msdyn_unsecure"})
	if err != nil {
		return nil, err
	}
	out := make([]providers.RuntimeConfig, len(rows))
	for i, r := range rows {
		rc := providers.RuntimeConfig{ID: providers.GUID(str(r, "msdyn_dualwriteruntimeconfigid")),
			Name: str(r, "msdyn_name"), Status: str(r, "msdyn_status")}
		var u struct {
			SourceEntityName      string
			DestinationEntityName string
			EntityMapVersion      providers.MapVersion
		}
		if json.Unmarshal(mappingJSON(str(r, "msdyn_unsecure")), &u) == nil {
			rc.Source, rc.Destination, rc.Version = u.SourceEntityName, u.DestinationEntityName, u.EntityMapVersion
		}
		out[i] = rc
	}
	return out, nil
}
