package dualwrite

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/dwctl/dwctl/providers"
)

// Environment types of a leg [O].
const (
	envFinOps    = "AX"
	envDataverse = "CRM"
)

// wireProject is the definition of a map version in the shape of the gateway's project
// (FieldMappings) and of msdyn_mapping [O]: tasks of legs, each with its field mappings.
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
	SyncDirection     code            `json:"syncDirection"`
	SourceField       string          `json:"sourceField"`
	DestinationField  string          `json:"destinationField"`
	IsSystemGenerated bool            `json:"isSystemGenerated"`
	ValueTransforms   []wireTransform `json:"valueTransforms"`
}

type wireTransform struct {
	TransformType *string           `json:"transformType"`
	ValueMap      map[string]string `json:"valueMap,omitempty"`
	DefaultValue  json.RawMessage   `json:"defaultValue,omitempty"`
}

// decodeDefinition checks a project answer and returns the definition its F&O-sourced leg and the
// Dataverse-sourced leg describe.
func decodeDefinition(call string, body []byte) (providers.MapDefinition, error) {
	var p wireProject
	if err := decodeJSON(call, body, &p); err != nil {
		return providers.MapDefinition{}, err
	}
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
		switch *leg.SourceEnvironmentType {
		case envFinOps:
			fo = leg
			def.FinOpsFilter = leg.SourceFilter
			if def.DataverseFilter == "" {
				def.DataverseFilter = leg.ReversedSourceFilter
			}
			checkLeg(c, path, leg)
		case envDataverse:
			def.DataverseFilter = leg.SourceFilter
		default:
			c.fail(path+".sourceEnvironmentType", fmt.Sprintf("has the unknown environment type %q", *leg.SourceEnvironmentType))
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

// encodeDefinition renders def as a project with one leg per direction.
func encodeDefinition(name string, def providers.MapDefinition) wireProject {
	fo, dv := envFinOps, envDataverse
	foFields := make([]wireFieldMapping, 0, len(def.Fields))
	dvFields := make([]wireFieldMapping, 0, len(def.Fields))
	for _, f := range def.Fields {
		w := wireFieldMapping{SyncDirection: codeOf(int(f.Direction)), SourceField: f.FinOps, DestinationField: f.Dataverse}
		if len(f.ValueMap) > 0 {
			w.ValueTransforms = append(w.ValueTransforms, wireTransform{TransformType: ptr("ValueMap"), ValueMap: f.ValueMap})
		}
		if f.Default != nil {
			raw, _ := json.Marshal(*f.Default)
			w.ValueTransforms = append(w.ValueTransforms, wireTransform{TransformType: ptr("Default"), DefaultValue: raw})
		}
		foFields = append(foFields, w)
		r := w
		r.SourceField, r.DestinationField = f.Dataverse, f.FinOps
		dvFields = append(dvFields, r)
	}
	legs := []wireLeg{
		{SourceEnvironmentType: &fo, SourceSchema: &def.FinOpsEntity, DestinationSchema: &def.DataverseEntitySet,
			SourceFilter: def.FinOpsFilter, ReversedSourceFilter: def.DataverseFilter, FieldMappings: &foFields},
		{SourceEnvironmentType: &dv, SourceSchema: &def.DataverseEntitySet, DestinationSchema: &def.FinOpsEntity,
			SourceFilter: def.DataverseFilter, ReversedSourceFilter: def.FinOpsFilter, FieldMappings: &dvFields},
	}
	return wireProject{Name: name, EntityMappingTasks: &[]wireTask{{Legs: &legs}}}
}

func ptr[T any](v T) *T { return &v }
