package live

import (
	"encoding/json"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// mappingDoc is the msdyn_mapping JSON of a saved map version [O]
// (domain/protocols.md §4.2): one leg per direction.
type mappingDoc struct {
	Legs []mappingLeg `json:"legs"`
}

type mappingLeg struct {
	SourceSchema               string         `json:"sourceSchema"`
	SourceEnvironmentType      string         `json:"sourceEnvironmentType"`
	DestinationSchema          string         `json:"destinationSchema"`
	DestinationEnvironmentType string         `json:"destinationEnvironmentType"`
	SourceFilter               string         `json:"sourceFilter"`
	FieldMappings              []fieldMapping `json:"fieldMappings"`
}

type fieldMapping struct {
	SyncDirection    json.Number      `json:"syncDirection"`
	SourceField      string           `json:"sourceField"`
	DestinationField string           `json:"destinationField"`
	ValueTransforms  []valueTransform `json:"valueTransforms"`
}

type valueTransform struct {
	TransformType string            `json:"transformType"`
	ValueMap      map[string]string `json:"valueMap"`
	DefaultValue  *json.RawMessage  `json:"defaultValue"`
}

// DecodeMapping reads a msdyn_mapping document into a map definition. The
// leg whose source is F&O ("AX") gives the F&O entity, the F&O filter and
// the field mappings (F&O field as source); the leg from Dataverse gives
// the Dataverse filter, and adds the fields only it carries. The shape is
// observed, not documented [O]: a document without an F&O leg is not a
// definition dwctl can compare (ok is false).
func DecodeMapping(raw json.RawMessage) (*providers.MapDefinition, bool) {
	var doc mappingDoc
	if len(raw) == 0 || json.Unmarshal(raw, &doc) != nil {
		return nil, false
	}
	var d providers.MapDefinition
	found := false
	seen := map[string]bool{}
	for _, leg := range doc.Legs {
		if !isFinOps(leg.SourceEnvironmentType) {
			continue
		}
		found = true
		d.FinOpsEntity, d.DataverseEntitySet, d.FinOpsFilter = leg.SourceSchema, leg.DestinationSchema, leg.SourceFilter
		for _, f := range leg.FieldMappings {
			fm := field(f, f.SourceField, f.DestinationField, false)
			seen[strings.ToLower(fm.FinOps+"|"+fm.Dataverse)] = true
			d.Fields = append(d.Fields, fm)
		}
	}
	if !found {
		return nil, false
	}
	for _, leg := range doc.Legs {
		if isFinOps(leg.SourceEnvironmentType) {
			continue
		}
		d.DataverseFilter = leg.SourceFilter
		for _, f := range leg.FieldMappings {
			fm := field(f, f.DestinationField, f.SourceField, true)
			if !seen[strings.ToLower(fm.FinOps+"|"+fm.Dataverse)] {
				d.Fields = append(d.Fields, fm)
			}
		}
	}
	return &d, true
}

func isFinOps(envType string) bool {
	return strings.EqualFold(envType, "AX") || strings.EqualFold(envType, "FinOps")
}

// field converts one field mapping; reversed is true for a leg from
// Dataverse, whose directions are relative to Dataverse.
func field(f fieldMapping, finops, dataverse string, reversed bool) providers.FieldMapping {
	dir := providers.SyncDirection(3)
	if n, err := f.SyncDirection.Int64(); err == nil && n >= 1 && n <= 3 {
		dir = providers.SyncDirection(n)
	}
	if reversed && dir != providers.Bidirectional {
		dir = 3 - dir
	}
	out := providers.FieldMapping{FinOps: finops, Dataverse: dataverse, Direction: dir}
	for _, t := range f.ValueTransforms {
		switch {
		case strings.EqualFold(t.TransformType, "ValueMap"):
			out.ValueMap = t.ValueMap
		case strings.EqualFold(t.TransformType, "Default") && t.DefaultValue != nil:
			v := defaultText(*t.DefaultValue)
			out.Default = &v
		}
	}
	return out
}

// defaultText returns a default value as text: a JSON string unquoted,
// anything else as written.
func defaultText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}
