package pairstate

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/copier"
)

// Map states and request states of the gateway [O] (providers.MapState mirrors them on the client).
const (
	MapNone        = 0
	MapStopped     = 1
	MapInitialSync = 2
	MapCatchUp     = 3
	MapRunning     = 4
	MapPaused      = 5
	MapNotRunning  = 6

	ReqWaiting   = 1
	ReqCompleted = 2
	ReqError     = 3

	ActStart      = 1
	ActStop       = 4
	ActPause      = 5
	ActResume     = 6
	ActInitialize = 8
)

// State is everything the control plane keeps.
type State struct {
	Link       *Link                  `json:"link,omitempty"`
	Maps       []*Map                 `json:"maps"`
	Requests   map[string]*Request    `json:"requests"`
	Executions map[string][]Execution `json:"executions"` // by project id, newest run first
	// SolutionRequests are the Apply solution requests by id.
	SolutionRequests map[string]*SolutionRequest `json:"solution_requests,omitempty"`

	base   *State // the committed state this one is a copy of (clone)
	legacy bool   // read from the single entry of older data directories
}

// Link is the link (connection set) of the pair.
type Link struct {
	CID          string `json:"cid"`
	CName        string `json:"cname"`
	DataverseURL string `json:"dataverse_url"`
	Organization string `json:"organization"`
	// Environment is the Dataverse side's Power Platform environment id (powerAppsEnvironment) and
	// Dataset its name in the connection set, where its integration keys live [O].
	Environment   string              `json:"environment"`
	Dataset       string              `json:"dataset"`
	LegalEntities []string            `json:"legal_entities"`
	Keys          map[string][]string `json:"keys"`
	Alerts        []json.RawMessage   `json:"alerts"`
	Created       time.Time           `json:"created"`
}

// Map is one table map with its versions and runtime state.
type Map struct {
	// Name is the map's name when a solution added it (the one its entity map row gives); maps the
	// link published are named after their tables.
	Name      string      `json:"name,omitempty"`
	Templates []*Template `json:"templates"`
	Active    string      `json:"active"`
	PID       string      `json:"pid,omitempty"`
	State     int         `json:"state"`
	Requests  []string    `json:"requests,omitempty"` // newest last
}

// Template is one version of a map.
type Template struct {
	ID       string    `json:"id"`
	Author   string    `json:"author"`
	Version  [4]int    `json:"version"`
	ReadOnly bool      `json:"read_only"`
	Created  time.Time `json:"created"`
	Def      Def       `json:"def"`
}

// Def is a map version's definition.
type Def struct {
	FinOps          string  `json:"finops"`    // F&O public collection
	Dataverse       string  `json:"dataverse"` // Dataverse entity set
	FinOpsFilter    string  `json:"finops_filter,omitempty"`
	DataverseFilter string  `json:"dataverse_filter,omitempty"`
	Fields          []Field `json:"fields"`
}

// Field is one field mapping.
type Field struct {
	FinOps    string            `json:"finops,omitempty"`
	Dataverse string            `json:"dataverse,omitempty"`
	Direction int               `json:"direction"`
	ValueMap  map[string]string `json:"value_map,omitempty"`
	Default   *string           `json:"default,omitempty"`
}

// Request is an asynchronous request on maps.
type Request struct {
	ID        string         `json:"id"`
	Action    int            `json:"action"`
	Templates []string       `json:"templates"` // the active template ids of its maps when it was made
	Params    map[string]any `json:"params,omitempty"`
	State     int            `json:"state"`
	Error     string         `json:"error,omitempty"`
	Created   time.Time      `json:"created"`
	Modified  time.Time      `json:"modified"`
	PollsLeft int            `json:"polls_left"`
}

// Execution is one company's initial-sync result of a project (one run of one company).
type Execution struct {
	copier.Result
	RequestID string `json:"request_id"`
}

func (m *Map) ActiveTemplate() *Template {
	for _, t := range m.Templates {
		if t.ID == m.Active {
			return t
		}
	}
	return m.Templates[len(m.Templates)-1]
}

// Editable reports whether the map's definition or version may change: not while it runs, is
// paused or is between states [D: maps must be stopped before their mappings are edited].
func (m *Map) Editable() bool {
	return m.State == MapNotRunning || m.State == MapStopped || m.State == MapNone
}

// MapByTemplate finds the map one of whose versions has id tid.
func (s *State) MapByTemplate(tid string) *Map {
	for _, m := range s.Maps {
		for _, t := range m.Templates {
			if strings.EqualFold(t.ID, tid) {
				return m
			}
		}
	}
	return nil
}

func (s *State) MapByProject(pid string) *Map {
	for _, m := range s.Maps {
		if m.PID != "" && strings.EqualFold(m.PID, pid) {
			return m
		}
	}
	return nil
}

// SolutionRequest is an asynchronous Apply solution.
type SolutionRequest struct {
	ID        string    `json:"id"`
	Solution  string    `json:"solution"`
	State     int       `json:"state"`
	Message   string    `json:"message,omitempty"`
	Created   time.Time `json:"created"`
	Modified  time.Time `json:"modified"`
	PollsLeft int       `json:"polls_left"`
}
