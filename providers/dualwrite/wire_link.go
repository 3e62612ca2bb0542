package dualwrite

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dwctl/dwctl/providers"
)

// wireEnvironment is one answer item of Environments [O: DWEnvironment.cs:13-26].
type wireEnvironment struct {
	CID                  *string `json:"cid"`
	CName                *string `json:"cname"`
	TargetType           string  `json:"targetType"`
	DisplayName          string  `json:"displayName"`
	PowerAppsEnvironment string  `json:"powerAppsEnvironment"`
	Detail               *struct {
		IsSolutionAware *bool `json:"isSolutionAware"`
	} `json:"detail"`
}

func (w *wireEnvironment) check(c *checker, path string) {
	c.need(path+".cid", w.CID != nil && *w.CID != "")
	c.need(path+".cname", w.CName != nil && *w.CName != "")
	if c.need(path+".detail", w.Detail != nil) {
		c.need(path+".detail.isSolutionAware", w.Detail.IsSolutionAware != nil)
	}
}

// wireConnectionSet is the answer of GET /api/ConnectionSet/{cname} [O: DWConnectionSet.cs:15-151].
// Its environments are a JSON object keyed by environment (DWConnectionSet.cs:139, iterated by
// value in DWCommonEngine.cs:134), not an array.
type wireConnectionSet struct {
	ID              *string               `json:"id"`
	Name            *string               `json:"name"`
	Environments    *map[string]wireCSEnv `json:"environments"`
	DualWriteDetail *wireDualWriteDetail  `json:"dualWriteDetail"`
}

// wireCSEnv is one environment of a connection set [O: DWConnectionSet.cs:15-35].
type wireCSEnv struct {
	TargetType             *string      `json:"targetType"`
	Name                   string       `json:"name"`
	ConnectionSetName      string       `json:"connectionSetName,omitempty"`
	ConnectionDisplayName  string       `json:"connectionDisplayName,omitempty"`
	EnvironmentDisplayName string       `json:"environmentDisplayName"`
	PowerAppsEnvironment   string       `json:"powerAppsEnvironment"`
	IsDevInstance          bool         `json:"isDevInstance"`
	DirectURL              string       `json:"directUrl"`
	Schemas                []wireSchema `json:"schemas,omitempty"`
}

type wireSchema struct {
	Name *string   `json:"name"`
	Keys []wireKey `json:"keys"`
}

type wireKey struct {
	Name             string    `json:"name"`
	Fields           *[]string `json:"fields"`
	IsIntegrationKey bool      `json:"isIntegrationKey"`
	IsHardcoded      bool      `json:"isHardcoded"`
}

type wireDualWriteDetail struct {
	LegalEntityMappings *struct {
		Mappings *[]wireLEMapping `json:"mappings"`
	} `json:"legalEntityMappings"`
	IsSolutionAware bool         `json:"isSolutionAware"`
	AlertSettings   *[]wireAlert `json:"alertSettings"`
}

type wireLEMapping struct {
	Left  *wireNamed `json:"left"`
	Right *wireNamed `json:"right"`
}

// wireNamed is one side of a legal-entity mapping: on the left (F&O) name is the company code
// [O: ResetLinkEngine.cs:104-110]; what id holds is not known.
type wireNamed struct {
	Name *string `json:"name"`
	ID   string  `json:"id"`
}

type wireAlert struct {
	Name       *string        `json:"name"`
	State      string         `json:"state"`
	ErrorTypes *[]string      `json:"errorTypes"`
	Threshold  *wireThreshold `json:"threshold"`
	Action     *string        `json:"action"`
	Recipients []string       `json:"recipients,omitempty"`
}

type wireThreshold struct {
	Count      *int    `json:"count"`
	Interval   *int    `json:"interval"`
	UnitOfTime *string `json:"unitOfTime"`
}

// Alert vocabulary of the gateway: the field names are [O] (DWConnectionSet.cs:75-88), the string
// values dwctl's reading [U]; an unknown value is a warning, never a failed read.
var (
	alertErrorTypes = map[string]string{"application": "Application", "network": "Network"}
	alertActions    = map[string]string{"pause": "Pause", "stop": "Stop"}
	alertUnits      = map[string]time.Duration{"Minutes": time.Minute, "Hours": time.Hour, "Days": 24 * time.Hour}
)

// Target types of a connection set's environments [O]: the Dataverse side is CRM or any type that
// contains CDS (DWCommonEngine.cs:136-137).
const (
	envFinOps    = "AX"
	envDataverse = "CRM"
)

func isDataverseType(t string) bool {
	return strings.EqualFold(t, envDataverse) || strings.Contains(strings.ToUpper(t), "CDS")
}

func isFinOpsType(t string) bool { return strings.EqualFold(t, envFinOps) }

// check verifies what planning depends on: the ids, the environments' target types, one Dataverse
// and one F&O environment, and every legal entity's code. Alerts are read tolerantly (see alerts).
func (cs *wireConnectionSet) check(c *checker) {
	c.need("id", cs.ID != nil && *cs.ID != "")
	c.need("name", cs.Name != nil && *cs.Name != "")
	if c.need("environments", cs.Environments != nil) {
		for _, k := range cs.envKeys() {
			c.need(fmt.Sprintf("environments[%q].targetType", k), (*cs.Environments)[k].TargetType != nil)
		}
		if c.err == nil {
			c.need("environments[CRM]", cs.env(isDataverseType) != nil)
			c.need("environments[AX]", cs.env(isFinOpsType) != nil)
		}
	}
	d := cs.DualWriteDetail
	if !c.need("dualWriteDetail", d != nil) {
		return
	}
	if c.need("dualWriteDetail.legalEntityMappings.mappings", d.LegalEntityMappings != nil && d.LegalEntityMappings.Mappings != nil) {
		for i, m := range *d.LegalEntityMappings.Mappings {
			p := fmt.Sprintf("dualWriteDetail.legalEntityMappings.mappings[%d]", i)
			c.need(p+".left.name", m.Left != nil && m.Left.Name != nil && *m.Left.Name != "")
		}
	}
}

// envKeys returns the environments' keys in order.
func (cs *wireConnectionSet) envKeys() []string {
	keys := make([]string, 0, len(*cs.Environments))
	for k := range *cs.Environments {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// env returns the first environment (in key order) whose target type matches.
func (cs *wireConnectionSet) env(match func(string) bool) *wireCSEnv {
	for _, k := range cs.envKeys() {
		e := (*cs.Environments)[k]
		if e.TargetType != nil && match(*e.TargetType) {
			return &e
		}
	}
	return nil
}

// alerts reads the alert settings; a missing list or a setting dwctl cannot read is a warning.
func (cs *wireConnectionSet) alerts(call string) ([]providers.AlertSetting, []string) {
	d := cs.DualWriteDetail
	if d.AlertSettings == nil {
		return []providers.AlertSetting{}, []string{call + ": the connection set has no dualWriteDetail.alertSettings; dwctl reads the link as having no alerts"}
	}
	out := []providers.AlertSetting{}
	var warnings []string
	for i := range *d.AlertSettings {
		s, problem := (*d.AlertSettings)[i].setting()
		if problem != "" {
			warnings = append(warnings, fmt.Sprintf("%s: dualWriteDetail.alertSettings[%d] %s; dwctl ignores that alert", call, i, problem))
			continue
		}
		out = append(out, s)
	}
	return out, warnings
}

func reverse(m map[string]string, v string) string {
	for k, x := range m {
		if strings.EqualFold(x, v) {
			return k
		}
	}
	return ""
}

// setting converts an alert, or says why it cannot.
func (a *wireAlert) setting() (providers.AlertSetting, string) {
	switch {
	case a.Name == nil:
		return providers.AlertSetting{}, "has no name"
	case a.Action == nil || reverse(alertActions, *a.Action) == "":
		return providers.AlertSetting{}, fmt.Sprintf("(%q) has an action dwctl does not know", *a.Name)
	case a.Threshold == nil || a.Threshold.Count == nil || a.Threshold.Interval == nil || a.Threshold.UnitOfTime == nil:
		return providers.AlertSetting{}, fmt.Sprintf("(%q) has no complete threshold", *a.Name)
	}
	unit, ok := alertUnits[*a.Threshold.UnitOfTime]
	if !ok {
		return providers.AlertSetting{}, fmt.Sprintf("(%q) has the unknown unit %q", *a.Name, *a.Threshold.UnitOfTime)
	}
	out := providers.AlertSetting{Name: *a.Name, Count: *a.Threshold.Count, Action: reverse(alertActions, *a.Action),
		Within: time.Duration(*a.Threshold.Interval) * unit, Recipients: a.Recipients}
	if a.ErrorTypes != nil {
		for _, t := range *a.ErrorTypes {
			e := reverse(alertErrorTypes, t)
			if e == "" {
				return providers.AlertSetting{}, fmt.Sprintf("(%q) has the unknown error type %q", *a.Name, t)
			}
			out.Errors = append(out.Errors, e)
		}
	}
	return out, ""
}

// alertOf renders a setting in the gateway's shape, with the coarsest unit that divides the window.
func alertOf(s providers.AlertSetting) (wireAlert, error) {
	w := wireAlert{Name: ptr(s.Name), State: "Active", ErrorTypes: &[]string{}, Recipients: s.Recipients}
	for _, e := range s.Errors {
		t, ok := alertErrorTypes[e]
		if !ok {
			return w, fmt.Errorf("alert %q: unknown error type %q (application or network)", s.Name, e)
		}
		*w.ErrorTypes = append(*w.ErrorTypes, t)
	}
	act, ok := alertActions[s.Action]
	if !ok {
		return w, fmt.Errorf("alert %q: unknown action %q (pause or stop)", s.Name, s.Action)
	}
	w.Action = &act
	unit, n := "Minutes", int(s.Within/time.Minute)
	switch {
	case s.Within <= 0 || s.Within%time.Minute != 0:
		return w, fmt.Errorf("alert %q: the window %s is not a whole number of minutes", s.Name, s.Within)
	case s.Within%(24*time.Hour) == 0:
		unit, n = "Days", int(s.Within/(24*time.Hour))
	case s.Within%time.Hour == 0:
		unit, n = "Hours", int(s.Within/time.Hour)
	}
	w.Threshold = &wireThreshold{Count: ptr(s.Count), Interval: &n, UnitOfTime: &unit}
	return w, nil
}

// integrationKey returns the integration key of a Dataverse schema: the key named userKeys, else
// userKey [O: DWCommonEngine.cs:186-190]. ok is false when the schema has neither.
func (s wireSchema) integrationKey() ([]string, bool) {
	for _, name := range []string{"userKeys", "userKey"} {
		for _, k := range s.Keys {
			if strings.EqualFold(k.Name, name) && k.Fields != nil {
				return append([]string(nil), *k.Fields...), true
			}
		}
	}
	return nil, false
}
