package dualwrite

import (
	"fmt"
	"strings"
	"time"

	"github.com/dwctl/dwctl/providers"
)

// wireEnvironment is one answer item of Environments [O].
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

// wireConnectionSet is the answer of GET /api/ConnectionSet/{cname} [O]; the shapes of the schema
// keys and alert settings inside it are [O] from the tool's types, their string values [U].
type wireConnectionSet struct {
	ID              *string              `json:"id"`
	Name            *string              `json:"name"`
	Environments    *[]wireCSEnv         `json:"environments"`
	DualWriteDetail *wireDualWriteDetail `json:"dualWriteDetail"`
}

type wireCSEnv struct {
	TargetType  *string      `json:"targetType"`
	Name        string       `json:"name"`
	DisplayName string       `json:"displayName"`
	ID          string       `json:"id"`
	DirectURL   string       `json:"directUrl"`
	Schemas     []wireSchema `json:"schemas,omitempty"`
}

type wireSchema struct {
	Name *string   `json:"name"`
	Keys []wireKey `json:"keys"`
}

type wireKey struct {
	Name             string    `json:"name"`
	Fields           *[]string `json:"fields"`
	IsIntegrationKey bool      `json:"isIntegrationKey"`
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

type wireNamed struct {
	Name string  `json:"name"`
	ID   *string `json:"id"`
}

type wireAlert struct {
	Name       *string        `json:"name"`
	State      string         `json:"state"`
	ErrorTypes *[]string      `json:"errorTypes"`
	Threshold  *wireThreshold `json:"threshold"`
	Action     *string        `json:"action"`
	Recipients []string       `json:"recipients"`
}

type wireThreshold struct {
	Count      *int    `json:"count"`
	Interval   *int    `json:"interval"`
	UnitOfTime *string `json:"unitOfTime"`
}

// Alert vocabulary of the gateway [U]: dwctl's names on the left.
var (
	alertErrorTypes = map[string]string{"application": "Application", "network": "Network"}
	alertActions    = map[string]string{"pause": "Pause", "stop": "Stop"}
	alertUnits      = map[string]time.Duration{"Minutes": time.Minute, "Hours": time.Hour, "Days": 24 * time.Hour}
)

func (cs *wireConnectionSet) check(c *checker) {
	c.need("id", cs.ID != nil && *cs.ID != "")
	c.need("name", cs.Name != nil && *cs.Name != "")
	if c.need("environments", cs.Environments != nil) {
		for i, e := range *cs.Environments {
			c.need(fmt.Sprintf("environments[%d].targetType", i), e.TargetType != nil)
		}
	}
	d := cs.DualWriteDetail
	if !c.need("dualWriteDetail", d != nil) {
		return
	}
	if c.need("dualWriteDetail.legalEntityMappings.mappings", d.LegalEntityMappings != nil && d.LegalEntityMappings.Mappings != nil) {
		for i, m := range *d.LegalEntityMappings.Mappings {
			p := fmt.Sprintf("dualWriteDetail.legalEntityMappings.mappings[%d]", i)
			c.need(p+".left.id", m.Left != nil && m.Left.ID != nil && *m.Left.ID != "")
		}
	}
	if c.need("dualWriteDetail.alertSettings", d.AlertSettings != nil) {
		for i := range *d.AlertSettings {
			(*d.AlertSettings)[i].check(c, fmt.Sprintf("dualWriteDetail.alertSettings[%d]", i))
		}
	}
}

func (a *wireAlert) check(c *checker, p string) {
	c.need(p+".name", a.Name != nil)
	if c.need(p+".errorTypes", a.ErrorTypes != nil) {
		for j, t := range *a.ErrorTypes {
			if reverse(alertErrorTypes, t) == "" {
				c.fail(fmt.Sprintf("%s.errorTypes[%d]", p, j), fmt.Sprintf("has the unknown error type %q", t))
			}
		}
	}
	if c.need(p+".action", a.Action != nil) && reverse(alertActions, *a.Action) == "" {
		c.fail(p+".action", fmt.Sprintf("has the unknown action %q", *a.Action))
	}
	if !c.need(p+".threshold", a.Threshold != nil) {
		return
	}
	c.need(p+".threshold.count", a.Threshold.Count != nil)
	c.need(p+".threshold.interval", a.Threshold.Interval != nil)
	if c.need(p+".threshold.unitOfTime", a.Threshold.UnitOfTime != nil) {
		if _, ok := alertUnits[*a.Threshold.UnitOfTime]; !ok {
			c.fail(p+".threshold.unitOfTime", fmt.Sprintf("has the unknown unit %q", *a.Threshold.UnitOfTime))
		}
	}
}

func reverse(m map[string]string, v string) string {
	for k, x := range m {
		if strings.EqualFold(x, v) {
			return k
		}
	}
	return ""
}

func (a *wireAlert) setting() providers.AlertSetting {
	out := providers.AlertSetting{Name: *a.Name, Count: *a.Threshold.Count, Action: reverse(alertActions, *a.Action),
		Within: time.Duration(*a.Threshold.Interval) * alertUnits[*a.Threshold.UnitOfTime], Recipients: a.Recipients}
	for _, t := range *a.ErrorTypes {
		out.Errors = append(out.Errors, reverse(alertErrorTypes, t))
	}
	return out
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

// env returns the connection set's environment of a target type.
func (cs *wireConnectionSet) env(targetType string) *wireCSEnv {
	for i := range *cs.Environments {
		if strings.EqualFold(*(*cs.Environments)[i].TargetType, targetType) {
			return &(*cs.Environments)[i]
		}
	}
	return nil
}
