package live

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// mappingDoc is the msdyn_mapping JSON of a saved map version: one entity
// mapping task [O: DWFieldMapping.cs:146-158; CKP], whose leg from F&O
// carries each field's direction and both filters (reversedSourceFilter is
// the Dataverse filter). Older documents add a leg from Dataverse.
type mappingDoc struct {
	Name                 string       `json:"name"`
	Order                int          `json:"order"`
	LeftEnvironmentType  string       `json:"leftEnvironmentType"`
	RightEnvironmentType string       `json:"rightEnvironmentType"`
	Legs                 []mappingLeg `json:"legs"`
}

type mappingLeg struct {
	SourceSchema               string         `json:"sourceSchema"`
	SourceEnvironmentType      string         `json:"sourceEnvironmentType"`
	DestinationSchema          string         `json:"destinationSchema"`
	DestinationEnvironmentType string         `json:"destinationEnvironmentType"`
	SourceFilter               string         `json:"sourceFilter"`
	ReversedSourceFilter       string         `json:"reversedSourceFilter"`
	IsSourceFilterEditable     bool           `json:"isSourceFilterEditable"`
	FieldMappings              []fieldMapping `json:"fieldMappings"`
}

type fieldMapping struct {
	SyncDirection    json.Number      `json:"syncDirection"`
	SourceField      string           `json:"sourceField"`
	DestinationField string           `json:"destinationField"`
	ValueTransforms  []valueTransform `json:"valueTransforms"`
}

type valueTransform struct {
	Type          string            `json:"$type,omitempty"`
	TransformType string            `json:"transformType"`
	ValueMap      map[string]string `json:"valueMap,omitempty"`
	DefaultValue  *json.RawMessage  `json:"defaultValue,omitempty"`
}

// transformTypes are the $type dwctl writes beside each transformType: the
// field is observed (DWFieldMapping.cs:108), its values are not [I]; dwctl
// reads any.
var transformTypes = map[string]string{
	"ValueMap": "Microsoft.Dynamics.Integrator.Transforms.ValueMapTransform",
	"Default":  "Microsoft.Dynamics.Integrator.Transforms.DefaultValueTransform",
}

// EncodeMapping writes a map definition as a msdyn_mapping document: one
// task named name with one leg from F&O to Dataverse.
func EncodeMapping(name string, d providers.MapDefinition) ([]byte, error) {
	fields := make([]fieldMapping, 0, len(d.Fields))
	for _, f := range d.Fields {
		fm := fieldMapping{SyncDirection: json.Number(strconv.Itoa(int(f.Direction))), SourceField: f.FinOps, DestinationField: f.Dataverse,
			ValueTransforms: []valueTransform{}}
		if len(f.ValueMap) > 0 {
			fm.ValueTransforms = append(fm.ValueTransforms, valueTransform{Type: transformTypes["ValueMap"], TransformType: "ValueMap", ValueMap: f.ValueMap})
		}
		if f.Default != nil {
			raw, err := json.Marshal(*f.Default)
			if err != nil {
				return nil, err
			}
			msg := json.RawMessage(raw)
			fm.ValueTransforms = append(fm.ValueTransforms, valueTransform{Type: transformTypes["Default"], TransformType: "Default", DefaultValue: &msg})
		}
		fields = append(fields, fm)
	}
	doc := mappingDoc{Name: name, LeftEnvironmentType: "AX", RightEnvironmentType: "CRM", Legs: []mappingLeg{{
		SourceEnvironmentType: "AX", SourceSchema: d.FinOpsEntity, DestinationEnvironmentType: "CRM", DestinationSchema: d.DataverseEntitySet,
		SourceFilter: d.FinOpsFilter, ReversedSourceFilter: d.DataverseFilter, IsSourceFilterEditable: true, FieldMappings: fields}}}
	return json.Marshal(doc)
}

// DecodeMapping reads a msdyn_mapping document into a map definition. The
// leg whose source is F&O ("AX") gives the F&O entity, both filters and the
// field mappings (F&O field as source); a leg from Dataverse gives the
// Dataverse filter, and adds the fields only it carries. The shape is
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
		if !isFinOps(leg.SourceEnvironmentType) || found {
			continue
		}
		found = true
		d.FinOpsEntity, d.DataverseEntitySet, d.FinOpsFilter = leg.SourceSchema, leg.DestinationSchema, leg.SourceFilter
		d.DataverseFilter = leg.ReversedSourceFilter
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
		if leg.SourceFilter != "" {
			d.DataverseFilter = leg.SourceFilter
		}
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

// VersionRows indexes the msdyn_dualwriteentitymap rows (one per saved map
// version) for finding the row of a gateway template.
type VersionRows struct {
	byID   map[string]providers.EntityMap
	byName map[string][]providers.EntityMap // by "map name|version", lower case
}

// NewVersionRows indexes rows.
func NewVersionRows(rows []providers.EntityMap) VersionRows {
	v := VersionRows{byID: map[string]providers.EntityMap{}, byName: map[string][]providers.EntityMap{}}
	for _, em := range rows {
		v.byID[strings.ToLower(string(em.ID))] = em
		if name := MapNameOf(em.Name); name != "" {
			k := strings.ToLower(name + "|" + em.Version)
			v.byName[k] = append(v.byName[k], em)
		}
	}
	return v
}

// Row finds the row of template t of map m: the row whose id is the
// template's (the emulator's rows), else the one row whose name holds the
// map's name and whose version is the template's ("{prefix}_[{map name}]"
// [O: CKP], matched to the gateway's tName and version [I]).
func (v VersionRows) Row(m providers.Map, t providers.MapTemplate) (providers.EntityMap, bool) {
	if em, ok := v.byID[strings.ToLower(t.ID)]; ok && t.ID != "" {
		return em, true
	}
	hits := v.byName[strings.ToLower(m.DisplayName+"|"+t.Version)]
	if len(hits) == 1 {
		return hits[0], true
	}
	return providers.EntityMap{}, false
}

// Definition decodes the definition of template t of map m from its row.
func (v VersionRows) Definition(m providers.Map, t providers.MapTemplate) (*providers.MapDefinition, bool) {
	em, ok := v.Row(m, t)
	if !ok {
		return nil, false
	}
	return DecodeMapping(em.Mapping)
}

// MapNameOf reads the map name of a msdyn_dualwriteentitymap row's
// msdyn_name, "{prefix}_[{map name}]" [O: CKP]; "" when it has another form.
func MapNameOf(name string) string {
	_, rest, ok := strings.Cut(name, "_[")
	if !ok || !strings.HasSuffix(rest, "]") {
		return ""
	}
	return strings.TrimSuffix(rest, "]")
}
