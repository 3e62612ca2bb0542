package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// wireLegBody is the part of a project dwctl's save reads: the legs' schemas, filters and fields.
type wireLegBody struct {
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
}

type saveBody struct {
	CID     string `json:"cid"`
	TID     string `json:"tid"`
	Author  string `json:"author"`
	Version struct {
		Major, Minor, Build, Revision *int
	} `json:"version"`
	Project struct {
		EntityMappingTasks []struct {
			Legs []wireLegBody `json:"legs"`
		} `json:"entityMappingTasks"`
	} `json:"project"`
}

// definition reads the F&O-sourced leg of the body (the Dataverse leg gives the Dataverse filter).
func (b *saveBody) definition() (ctlDef, error) {
	if len(b.Project.EntityMappingTasks) == 0 {
		return ctlDef{}, gwErr(http.StatusBadRequest, "BadRequest", "The project has no entity mapping task.")
	}
	var def ctlDef
	found := false
	for _, leg := range b.Project.EntityMappingTasks[0].Legs {
		switch leg.SourceEnvironmentType {
		case "CRM":
			def.DataverseFilter = leg.SourceFilter
		case "AX":
			found = true
			def.FinOps, def.Dataverse, def.FinOpsFilter = leg.SourceSchema, leg.DestinationSchema, leg.SourceFilter
			if def.DataverseFilter == "" {
				def.DataverseFilter = leg.ReversedSourceFilter
			}
			for _, f := range leg.FieldMappings {
				field := ctlField{FinOps: f.SourceField, Dataverse: f.DestinationField, Direction: rawInt(f.SyncDirection)}
				for _, t := range f.ValueTransforms {
					switch t.TransformType {
					case "ValueMap":
						field.ValueMap = t.ValueMap
					case "Default":
						var v any
						_ = json.Unmarshal(t.DefaultValue, &v)
						s := anyText(v)
						field.Default = &s
					default:
						return ctlDef{}, gwErr(http.StatusBadRequest, "BadRequest", "Unknown transform %q.", t.TransformType)
					}
				}
				def.Fields = append(def.Fields, field)
			}
		}
	}
	if !found {
		return ctlDef{}, gwErr(http.StatusBadRequest, "BadRequest", "The project has no leg from AX.")
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

func anyText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return sprintf("%v", v)
}

// saveTemplate saves a new version of a map under a publisher, or, without tid, adds a new map
// ("Add table map") [U]. A map must be stopped first [D].
func (c *controlPlane) saveTemplate(ctx context.Context, r *http.Request, st *ctlState) (any, error) {
	var b saveBody
	if err := readJSON(r, &b); err != nil {
		return nil, err
	}
	if _, err := needCID(st, b.CID); err != nil {
		return nil, err
	}
	v := b.Version
	if strings.TrimSpace(b.Author) == "" || v.Major == nil || v.Minor == nil || v.Build == nil || v.Revision == nil {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "Saving a table map needs a publisher and a version.")
	}
	version := [4]int{*v.Major, *v.Minor, *v.Build, *v.Revision}
	def, err := b.definition()
	if err != nil {
		return nil, err
	}
	if err := c.checkDefinition(def); err != nil {
		return nil, err
	}
	m := &ctlMap{State: mapNotRunning}
	if b.TID != "" {
		if m, _, err = c.findTemplate(st, b.TID); err != nil {
			return nil, err
		}
		if !m.editable() {
			return nil, gwErr(http.StatusBadRequest, "MapRunning", "Table map %s is %s. Stop it before you change its mappings.", c.displayName(m), stateName(m.State))
		}
		for _, t := range m.Templates {
			if strings.EqualFold(t.Author, b.Author) && t.Version == version {
				return nil, gwErr(http.StatusConflict, "VersionExists", "Table map %s already has version %s by %s.", c.displayName(m), versionString(version), t.Author)
			}
		}
	}
	t := &ctlTemplate{ID: newGUID(), Author: b.Author, Version: version, Created: c.e.clock().UTC(), Def: def}
	m.Templates = append(m.Templates, t)
	if b.TID == "" {
		m.Active = t.ID
		st.Maps = append(st.Maps, m)
	}
	if err := c.writeEntityMaps(ctx, m); err != nil {
		return nil, err
	}
	return c.templateJSON(m, t), nil
}

// switchActive makes a version the active one [O]; the map must be stopped.
func (c *controlPlane) switchActive(_ context.Context, r *http.Request, st *ctlState) (any, error) {
	if _, err := needCID(st, r.PathValue("cid")); err != nil {
		return nil, err
	}
	m, t, err := c.findTemplate(st, r.PathValue("tid"))
	if err != nil {
		return nil, err
	}
	if pid := r.URL.Query().Get("pid"); pid != "" && !strings.EqualFold(pid, m.PID) {
		return nil, gwErr(http.StatusBadRequest, "ProjectMismatch", "Project %s is not the project of table map %s.", pid, c.displayName(m))
	}
	if !m.editable() {
		return nil, gwErr(http.StatusBadRequest, "MapRunning", "Table map %s is %s. Stop it before you change its version.", c.displayName(m), stateName(m.State))
	}
	m.Active = t.ID
	return nil, nil
}
