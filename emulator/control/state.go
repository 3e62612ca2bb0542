package control

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/authority"
	"github.com/dwctl/dwctl/emulator/copier"
	"github.com/dwctl/dwctl/emulator/store"
)

// Map states and request states of the gateway [O] (providers.MapState mirrors them on the client).
const (
	mapNone        = 0
	mapStopped     = 1
	mapInitialSync = 2
	mapCatchUp     = 3
	mapRunning     = 4
	mapPaused      = 5
	mapNotRunning  = 6

	reqWaiting   = 1
	reqCompleted = 2
	reqError     = 3

	actStart      = 1
	actStop       = 4
	actPause      = 5
	actResume     = 6
	actInitialize = 8
)

// maxLegalEntities is the documented limit of companies of a link [D].
const maxLegalEntities = 40

// ctlState is everything the control plane keeps.
type ctlState struct {
	Link       *ctlLink                  `json:"link,omitempty"`
	Maps       []*ctlMap                 `json:"maps"`
	Requests   map[string]*ctlRequest    `json:"requests"`
	Executions map[string][]ctlExecution `json:"executions"` // by project id, newest run first
	// SolutionRequests are the Apply solution requests by id.
	SolutionRequests map[string]*ctlSolutionRequest `json:"solution_requests,omitempty"`

	base   *ctlState // the committed state this one is a copy of (clone)
	legacy bool      // read from the single entry of older data directories
}

// ctlLink is the link (connection set) of the pair.
type ctlLink struct {
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

// ctlMap is one table map with its versions and runtime state.
type ctlMap struct {
	// Name is the map's name when a solution added it (the one its entity map row gives); maps the
	// link published are named after their tables.
	Name      string         `json:"name,omitempty"`
	Templates []*ctlTemplate `json:"templates"`
	Active    string         `json:"active"`
	PID       string         `json:"pid,omitempty"`
	State     int            `json:"state"`
	Requests  []string       `json:"requests,omitempty"` // newest last
}

// ctlTemplate is one version of a map.
type ctlTemplate struct {
	ID       string    `json:"id"`
	Author   string    `json:"author"`
	Version  [4]int    `json:"version"`
	ReadOnly bool      `json:"read_only"`
	Created  time.Time `json:"created"`
	Def      ctlDef    `json:"def"`
}

// ctlDef is a map version's definition.
type ctlDef struct {
	FinOps          string     `json:"finops"`    // F&O public collection
	Dataverse       string     `json:"dataverse"` // Dataverse entity set
	FinOpsFilter    string     `json:"finops_filter,omitempty"`
	DataverseFilter string     `json:"dataverse_filter,omitempty"`
	Fields          []ctlField `json:"fields"`
}

// ctlField is one field mapping.
type ctlField struct {
	FinOps    string            `json:"finops,omitempty"`
	Dataverse string            `json:"dataverse,omitempty"`
	Direction int               `json:"direction"`
	ValueMap  map[string]string `json:"value_map,omitempty"`
	Default   *string           `json:"default,omitempty"`
}

// ctlRequest is an asynchronous request on maps.
type ctlRequest struct {
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

// dataverseNames are the Power Platform environment id and the dataset name of the Dataverse
// environment of an organisation.
func (ct *catalog) dataverseNames(org string) (environment, dataset string) {
	short := strings.ToLower(strings.ReplaceAll(org, "-", ""))
	if len(short) > 12 {
		short = short[:12]
	}
	return authority.EnvironmentOf(org), "crm_" + short
}

// ctlExecution is one company's initial-sync result of a project (one run of one company).
type ctlExecution struct {
	copier.Result
	RequestID string `json:"request_id"`
}

func (m *ctlMap) active() *ctlTemplate {
	for _, t := range m.Templates {
		if t.ID == m.Active {
			return t
		}
	}
	return m.Templates[len(m.Templates)-1]
}

// editable reports whether the map's definition or version may change: not while it runs, is
// paused or is between states [D: maps must be stopped before their mappings are edited].
func (m *ctlMap) editable() bool {
	return m.State == mapNotRunning || m.State == mapStopped || m.State == mapNone
}

// displayName is the map's name (tName), "<entity set> - <F&O entity label>" as in "uoms - Units"
// [O: DWH App.config:80-152].
func (ct *catalog) displayName(m *ctlMap) string {
	if m.Name != "" {
		return m.Name
	}
	def := m.active().Def
	return def.Dataverse + " - " + ct.finOpsLabel(def.FinOps)
}

// finOpsLabel is the label of an F&O entity (its collection name when it has none).
func (ct *catalog) finOpsLabel(set string) string {
	if t, ok := ct.store.TableBySet(store.FinOps, set); ok && t.Label != "" {
		return t.Label
	}
	return set
}

// mapByTemplate finds the map one of whose versions has id tid.
func (s *ctlState) mapByTemplate(tid string) *ctlMap {
	for _, m := range s.Maps {
		for _, t := range m.Templates {
			if strings.EqualFold(t.ID, tid) {
				return m
			}
		}
	}
	return nil
}

func (s *ctlState) mapByProject(pid string) *ctlMap {
	for _, m := range s.Maps {
		if m.PID != "" && strings.EqualFold(m.PID, pid) {
			return m
		}
	}
	return nil
}

// sortedMaps returns the maps ordered by display name, then template id.
func (ct *catalog) sortedMaps(st *ctlState) []*ctlMap {
	out := append([]*ctlMap(nil), st.Maps...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := ct.displayName(out[i]), ct.displayName(out[j])
		if a != b {
			return a < b
		}
		return out[i].Active < out[j].Active
	})
	return out
}
