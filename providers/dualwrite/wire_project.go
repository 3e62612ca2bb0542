package dualwrite

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/dwctl/dwctl/providers"
)

// wireProject is a map's project as GET {pid}/FieldMappings answers it [O: DWFieldMapping.cs:106-191]:
// tasks of legs, each leg with its filters and field mappings.
type wireProject struct {
	Name               string      `json:"name"`
	EntityMappingTasks *[]wireTask `json:"entityMappingTasks"`
}

type wireTask struct {
	Legs *[]wireLeg `json:"legs"`
}

type wireLeg struct {
	SourceEnvironmentType *string             `json:"sourceEnvironmentType"`
	SourceSchema          *string             `json:"sourceSchema"`
	DestinationSchema     *string             `json:"destinationSchema"`
	SourceFilter          string              `json:"sourceFilter"`
	ReversedSourceFilter  string              `json:"reversedSourceFilter"`
	FieldMappings         *[]wireFieldMapping `json:"fieldMappings"`
}

type wireFieldMapping struct {
	SyncDirection    code            `json:"syncDirection"`
	SourceField      string          `json:"sourceField"`
	DestinationField string          `json:"destinationField"`
	ValueTransforms  []wireTransform `json:"valueTransforms"`
}

type wireTransform struct {
	Type          string            `json:"$type"`
	TransformType *string           `json:"transformType"`
	ValueMap      map[string]string `json:"valueMap,omitempty"`
	DefaultValue  json.RawMessage   `json:"defaultValue,omitempty"`
}

func decodeProject(call string, body []byte) (*wireProject, error) {
	var p wireProject
	if err := decodeJSON(call, body, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// definition checks the project and returns the definition of its leg from F&O: the observed model
// is one AX → CRM leg whose fields carry their direction (1, 2, 3) and whose reversedSourceFilter is
// the Dataverse filter. A leg from Dataverse (older projects) gives the Dataverse filter too.
func (p *wireProject) definition(call string) (providers.MapDefinition, error) {
	c := &checker{call: call}
	if !c.need("entityMappingTasks", p.EntityMappingTasks != nil && len(*p.EntityMappingTasks) > 0) {
		return providers.MapDefinition{}, c.result()
	}
	task := (*p.EntityMappingTasks)[0]
	if !c.need("entityMappingTasks[0].legs", task.Legs != nil) {
		return providers.MapDefinition{}, c.result()
	}
	var def providers.MapDefinition
	var fo *wireLeg
	for i := range *task.Legs {
		leg := &(*task.Legs)[i]
		path := fmt.Sprintf("entityMappingTasks[0].legs[%d]", i)
		if !c.need(path+".sourceEnvironmentType", leg.SourceEnvironmentType != nil) {
			break
		}
		switch t := *leg.SourceEnvironmentType; {
		case isFinOpsType(t) && fo == nil:
			fo = leg
			def.FinOpsFilter = leg.SourceFilter
			if def.DataverseFilter == "" {
				def.DataverseFilter = leg.ReversedSourceFilter
			}
			checkLeg(c, path, leg)
		case isDataverseType(t):
			if leg.SourceFilter != "" {
				def.DataverseFilter = leg.SourceFilter
			}
		}
	}
	if c.err == nil && fo == nil {
		c.fail("entityMappingTasks[0].legs", "has no leg whose sourceEnvironmentType is AX")
	}
	if c.err != nil {
		return providers.MapDefinition{}, c.err
	}
	def.FinOpsEntity, def.DataverseEntitySet = *fo.SourceSchema, *fo.DestinationSchema
	for _, f := range *fo.FieldMappings {
		def.Fields = append(def.Fields, f.mapping())
	}
	return def, nil
}

func checkLeg(c *checker, path string, leg *wireLeg) {
	c.need(path+".sourceSchema", leg.SourceSchema != nil)
	c.need(path+".destinationSchema", leg.DestinationSchema != nil)
	if !c.need(path+".fieldMappings", leg.FieldMappings != nil) {
		return
	}
	for i, f := range *leg.FieldMappings {
		fp := fmt.Sprintf("%s.fieldMappings[%d]", path, i)
		if c.need(fp+".syncDirection", f.SyncDirection.set) && (f.SyncDirection.n < 1 || f.SyncDirection.n > 3) {
			c.fail(fp+".syncDirection", fmt.Sprintf("has the unknown direction %q", f.SyncDirection.raw))
		}
		for j, t := range f.ValueTransforms {
			tp := fmt.Sprintf("%s.valueTransforms[%d].transformType", fp, j)
			if !c.need(tp, t.TransformType != nil) {
				continue
			}
			if *t.TransformType != "ValueMap" && *t.TransformType != "Default" {
				c.fail(tp, fmt.Sprintf("has the unknown transform %q", *t.TransformType))
			}
			if *t.TransformType == "Default" {
				if _, ok := scalarText(t.DefaultValue); !ok {
					c.fail(fmt.Sprintf("%s.valueTransforms[%d].defaultValue", fp, j), "is missing or not a scalar")
				}
			}
		}
	}
}

func (f wireFieldMapping) mapping() providers.FieldMapping {
	m := providers.FieldMapping{FinOps: f.SourceField, Dataverse: f.DestinationField, Direction: providers.SyncDirection(f.SyncDirection.n)}
	for _, t := range f.ValueTransforms {
		switch *t.TransformType {
		case "ValueMap":
			if m.ValueMap == nil {
				m.ValueMap = map[string]string{}
			}
			for k, v := range t.ValueMap {
				m.ValueMap[k] = v
			}
		case "Default":
			s, _ := scalarText(t.DefaultValue)
			m.Default = &s
		}
	}
	return m
}

// scalarText renders a JSON string, number or boolean as text.
func scalarText(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

func ptr[T any](v T) *T { return &v }
