package control

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/mapping"
)

// taskBody is a map version as one entity mapping task (msdyn_mapping [O]); older documents have a
// second leg from Dataverse, whose source filter is the Dataverse filter.
type taskBody struct {
	Legs []struct {
		SourceEnvironmentType string `json:"sourceEnvironmentType"`
		SourceSchema          string `json:"sourceSchema"`
		DestinationSchema     string `json:"destinationSchema"`
		SourceFilter          string `json:"sourceFilter"`
		ReversedSourceFilter  string `json:"reversedSourceFilter"`
		FieldMappings         []struct {
			SyncDirection    json.RawMessage `json:"syncDirection"`
			SourceField      string          `json:"sourceField"`
			DestinationField string          `json:"destinationField"`
			ValueTransforms  []struct {
				TransformType string            `json:"transformType"`
				ValueMap      map[string]string `json:"valueMap"`
				DefaultValue  json.RawMessage   `json:"defaultValue"`
			} `json:"valueTransforms"`
		} `json:"fieldMappings"`
	} `json:"legs"`
}

// parseTask reads a msdyn_mapping document (also when it is stored double-encoded [O]).
func parseTask(doc string) (pairstate.Def, error) {
	doc = strings.TrimSpace(doc)
	if strings.HasPrefix(doc, `"`) {
		var inner string
		if json.Unmarshal([]byte(doc), &inner) == nil {
			doc = inner
		}
	}
	var b taskBody
	if err := json.Unmarshal([]byte(doc), &b); err != nil {
		return pairstate.Def{}, gwErr(http.StatusBadRequest, "BadRequest", "msdyn_mapping is not a mapping task: %v", err)
	}
	return b.definition()
}

// definition reads the leg from AX: schemas, filters (reversedSourceFilter is the Dataverse
// filter) and fields with their directions.
func (b *taskBody) definition() (pairstate.Def, error) {
	var def pairstate.Def
	found := false
	for _, leg := range b.Legs {
		switch leg.SourceEnvironmentType {
		case "CRM":
			if leg.SourceFilter != "" {
				def.DataverseFilter = leg.SourceFilter
			}
		case "AX":
			if found {
				continue
			}
			found = true
			def.FinOps, def.Dataverse, def.FinOpsFilter = leg.SourceSchema, leg.DestinationSchema, leg.SourceFilter
			if def.DataverseFilter == "" {
				def.DataverseFilter = leg.ReversedSourceFilter
			}
			for _, f := range leg.FieldMappings {
				field := pairstate.Field{FinOps: f.SourceField, Dataverse: f.DestinationField, Direction: rawInt(f.SyncDirection)}
				for _, t := range f.ValueTransforms {
					switch t.TransformType {
					case "ValueMap":
						field.ValueMap = t.ValueMap
					case "Default":
						var v any
						_ = json.Unmarshal(t.DefaultValue, &v)
						s := mapping.Text(v)
						field.Default = &s
					default:
						return pairstate.Def{}, gwErr(http.StatusBadRequest, "BadRequest", "Unknown transform %q.", t.TransformType)
					}
				}
				def.Fields = append(def.Fields, field)
			}
		}
	}
	if !found {
		return pairstate.Def{}, gwErr(http.StatusBadRequest, "BadRequest", "The mapping has no leg from AX.")
	}
	return def, nil
}

// rawInt reads "3" or 3.
func rawInt(raw json.RawMessage) int {
	s := strings.Trim(string(raw), `"`)
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// switchActive makes a version the active one [O: DWMapEngine.cs:1951-1963]: the body is the raw
// template id, the map's project is named by ?pid=, and the map must not be running.
func (c *Plane) switchActive(_ context.Context, r *http.Request, st *pairstate.State) (any, error) {
	if _, err := needCID(st, r.PathValue("cid")); err != nil {
		return nil, err
	}
	m, t, err := c.cat.findTemplate(st, r.PathValue("tid"))
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<10))
	if err != nil || !strings.EqualFold(strings.TrimSpace(string(body)), t.ID) {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "The body must be the template id %s as it is.", t.ID)
	}
	pid := r.URL.Query().Get("pid")
	switch {
	case m.PID == "":
		return nil, gwErr(http.StatusBadRequest, "ProjectNotFound", "Table map %s is not initialized; initialize it before you switch its version.", c.cat.displayName(m))
	case !strings.EqualFold(pid, m.PID):
		return nil, gwErr(http.StatusBadRequest, "ProjectMismatch", "Project %q is not the project of table map %s.", pid, c.cat.displayName(m))
	case !m.Editable():
		return nil, gwErr(http.StatusBadRequest, "MapRunning", "Table map %s is %s. Stop it before you change its version.", c.cat.displayName(m), stateName(m.State))
	}
	m.Active = t.ID
	return map[string]any{}, nil
}
