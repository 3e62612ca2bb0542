package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/mapping"
)

// Attributes are the compared attributes of one object, normalised (see
// normalise.go): exactly one of the pointers is set. They are what state
// records as last applied and what a plan shows as before and after.
type Attributes struct {
	Link     *LinkAttrs     `json:"link,omitempty"`
	Company  *CompanyAttrs  `json:"company,omitempty"`
	Key      *KeyAttrs      `json:"integration_key,omitempty"`
	Map      *MapAttrs      `json:"table_map,omitempty"`
	Sequence *SequenceAttrs `json:"number_sequence,omitempty"`
	// Sensitive lists the tree paths whose values came from sensitive
	// values ("filter/finops", "field \"A\" \"a\"/default"): renderers print
	// SensitiveText there. It is not part of the object's identity or
	// fingerprint, and plans and state never hold it: a value that is
	// sensitive is never written there at all.
	Sensitive []string `json:"-"`
}

// LinkAttrs are a link's attributes.
type LinkAttrs struct {
	FinOps    string       `json:"finops"`
	Dataverse string       `json:"dataverse"`
	Alerts    []AlertAttrs `json:"alerts"`
}

// AlertAttrs are one alert setting of a link.
type AlertAttrs struct {
	Name       string   `json:"name"`
	Errors     []string `json:"errors"`
	Count      int      `json:"count"`
	Within     string   `json:"within"`
	Action     string   `json:"action"`
	Recipients []string `json:"recipients"`
}

// CompanyAttrs are a legal entity of a link and its cdm_company row.
type CompanyAttrs struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// OwningTeam is the default owning team; "" when not declared (then
	// the service's team is not compared).
	OwningTeam string `json:"owning_team,omitempty"`
}

// KeyAttrs are the integration key of one Dataverse table.
type KeyAttrs struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

// MapAttrs are a table map's attributes.
type MapAttrs struct {
	FinOps    string `json:"finops"`
	Dataverse string `json:"dataverse"`
	// Version is the pinned version, or the active version of a live map
	// when the configuration pins one.
	Version         string       `json:"version,omitempty"`
	State           string       `json:"state"`
	FinOpsFilter    string       `json:"finops_filter"`
	DataverseFilter string       `json:"dataverse_filter"`
	Fields          []FieldAttrs `json:"fields"`
}

// FieldAttrs are one field mapping.
type FieldAttrs struct {
	FinOps    string            `json:"finops"`
	Dataverse string            `json:"dataverse"`
	Direction string            `json:"direction"`
	ValueMap  map[string]string `json:"value_map,omitempty"`
	Default   *string           `json:"default,omitempty"`
}

// SequenceAttrs are a number sequence's two sides.
type SequenceAttrs struct {
	FinOps    *FinOpsSeqAttrs  `json:"finops,omitempty"`
	Dataverse *AutoNumberAttrs `json:"dataverse,omitempty"`
}

// FinOpsSeqAttrs are an F&O number sequence.
type FinOpsSeqAttrs struct {
	Code     string `json:"code"`
	Scope    string `json:"scope"`
	Company  string `json:"company,omitempty"`
	Format   string `json:"format"`
	Smallest int64  `json:"smallest"`
	Largest  int64  `json:"largest"`
}

// AutoNumberAttrs are a Dataverse autonumber column.
type AutoNumberAttrs struct {
	Table  string `json:"table"`
	Column string `json:"column"`
	Format string `json:"format"`
	// Seed is the seed dwctl sets; nil when the configuration sets none.
	Seed *int64 `json:"seed,omitempty"`
}

// Fingerprint returns a digest of the attributes: equal attributes have
// equal fingerprints.
func (a *Attributes) Fingerprint() string {
	if a == nil {
		return ""
	}
	b, err := json.Marshal(a)
	if err != nil {
		// Attributes hold only strings, numbers, slices and maps.
		panic("planner: attributes do not encode: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// objectKind returns the name of the kind of object a holds.
func (a *Attributes) objectKind() string {
	switch {
	case a == nil:
		return ""
	case a.Link != nil:
		return "link"
	case a.Company != nil:
		return "company"
	case a.Key != nil:
		return "integration_key"
	case a.Map != nil:
		return "table_map"
	}
	return "number_sequence"
}

// Mapping returns the map's definition as the mapping engine runs it:
// fields with their directions, value maps and defaults, and both filters.
func (a *MapAttrs) Mapping() mapping.Map {
	m := mapping.Map{FinOpsFilter: a.FinOpsFilter, DataverseFilter: a.DataverseFilter}
	for _, f := range a.Fields {
		m.Fields = append(m.Fields, mapping.Field{FinOps: f.FinOps, Dataverse: f.Dataverse,
			Direction: mapping.Direction(DirectionOf(config.Direction(f.Direction))), ValueMap: f.ValueMap, Default: f.Default})
	}
	return m
}

// MapOf returns the attributes a configured map asks for, in the
// canonical form plans compare (field names folded, filters printed
// canonically).
func MapOf(cfg *config.Config, m *config.TableMap) *MapAttrs {
	return desiredMap(cfg, m).Desired.Map
}
