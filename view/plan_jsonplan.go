package view

import (
	"encoding/json"
	"io"

	"github.com/dwctl/dwctl/planner"
)

// JSONFormatVersion is the version of the JSON plan document
// (docs/json-format.md). Consumers must check the major part.
const JSONFormatVersion = "1.4"

// jsonPlan is the JSON rendering of a plan.
type jsonPlan struct {
	FormatVersion string               `json:"format_version"`
	Options       planner.Options      `json:"options"`
	Summary       planner.Summary      `json:"summary"`
	Actions       []jsonAction         `json:"actions"`
	Drift         []planner.Drift      `json:"drift"`
	NotManaged    []planner.NotManaged `json:"not_managed"`
	Forget        []string             `json:"forget"`
	Diagnostics   []Diagnostic         `json:"diagnostics,omitempty"`
}

type jsonAction struct {
	ID          string                      `json:"id"`
	Address     string                      `json:"address"`
	Object      string                      `json:"object"`
	Action      string                      `json:"action"`
	Symbol      string                      `json:"symbol"`
	Reason      planner.Reason              `json:"reason"`
	Destructive bool                        `json:"destructive"`
	Before      *planner.Attributes         `json:"before"`
	After       *planner.Attributes         `json:"after"`
	Changes     []planner.Change            `json:"changes"`
	Rows        int64                       `json:"rows"`
	Companies   map[string]map[string]int64 `json:"companies,omitempty"`
	Counts      map[string]int64            `json:"counts,omitempty"`
	RowChanges  []planner.RowChange         `json:"row_changes,omitempty"`
	DependsOn   []string                    `json:"depends_on"`
	Params      planner.Params              `json:"params"`
	Notes       []string                    `json:"notes"`
}

// RenderJSON writes the plan as one JSON document (docs/json-format.md).
func RenderJSON(w io.Writer, p *planner.Plan, diags []Diagnostic) error {
	doc := jsonPlan{FormatVersion: JSONFormatVersion, Options: p.Options, Summary: p.Summarize(),
		Actions: []jsonAction{}, Drift: p.Drift, NotManaged: p.NotManaged, Forget: p.Forget, Diagnostics: diags}
	for _, a := range p.Actions {
		doc.Actions = append(doc.Actions, jsonAction{ID: a.ID, Address: a.Address, Object: a.Object, Action: a.Kind.Name(),
			Symbol: string(a.Kind), Reason: a.Reason, Destructive: a.Destructive, Before: a.Before.Redacted(), After: a.After.Redacted(),
			Changes: nonNil(a.Changes), Rows: a.Rows, Counts: a.Counts, Companies: a.Companies, RowChanges: a.RowChanges, DependsOn: a.DependsOn, Params: a.RedactedParams(),
			Notes: nonNil(a.Notes)})
	}
	doc.Drift, doc.NotManaged, doc.Forget = nonNil(doc.Drift), nonNil(doc.NotManaged), nonNil(doc.Forget)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
