package dualwrite

import (
	"fmt"
	"strings"
	"time"

	"github.com/dwctl/dwctl/providers"
)

// wireMap is one DWMap of Entities and Status [O].
type wireMap struct {
	LeftEntity  *wireEntity    `json:"leftEntity"`
	RightEntity *wireEntity    `json:"rightEntity"`
	Detail      *wireMapDetail `json:"detail"`
}

type wireEntity struct {
	TargetType  *string `json:"targetType"`
	Name        *string `json:"name"`
	DisplayName string  `json:"displayName"`
}

type wireMapDetail struct {
	TID          *string         `json:"tid"`
	TName        *string         `json:"tName"`
	PID          *string         `json:"pid"`
	Template     *wireTemplate   `json:"template"`
	Templates    *[]wireTemplate `json:"templates"`
	State        code            `json:"state"`
	LastRequest  *wireRequest    `json:"lastRequest"`
	LastRequests []wireRequest   `json:"lastRequests"`
}

type wireTemplate struct {
	ID              *string      `json:"id"`
	Name            string       `json:"name"`
	ReadOnly        bool         `json:"readOnly"`
	DisplayName     string       `json:"displayName"`
	Author          *string      `json:"author"`
	Version         *wireVersion `json:"version"`
	CreatedDateTime string       `json:"createdDateTime"`
}

type wireRequest struct {
	RequestID    *string `json:"requestId"`
	Action       code    `json:"action"`
	CreatedOn    string  `json:"createdOn"`
	ModifiedOn   string  `json:"modifiedOn"`
	State        code    `json:"state"`
	ErrorMessage string  `json:"errorMessage"`
}

func (t *wireTemplate) check(c *checker, path string) {
	if !c.need(path, t != nil) {
		return
	}
	c.need(path+".id", t.ID != nil && *t.ID != "")
	c.need(path+".author", t.Author != nil)
	t.Version.check(c, path+".version")
}

func (t *wireTemplate) template() providers.MapTemplate {
	return providers.MapTemplate{ID: *t.ID, Author: *t.Author, Version: t.Version.String(),
		ReadOnly: t.ReadOnly, Created: parseTime(t.CreatedDateTime)}
}

var knownActions = map[int]bool{1: true, 4: true, 5: true, 6: true, 8: true}

func (r *wireRequest) check(c *checker, path string) {
	c.need(path+".requestId", r.RequestID != nil && *r.RequestID != "")
	if c.need(path+".state", r.State.set) {
		if s := providers.RequestState(r.State.n); s != providers.RequestWaiting && s != providers.RequestCompleted && s != providers.RequestError {
			c.fail(path+".state", fmt.Sprintf("has the unknown request state %q", r.State.raw))
		}
	}
}

// unknownAction returns a warning for a request whose action dwctl does not know: the service may
// record other actions than the five dwctl sends (refresh, switch, solution apply); planning does
// not depend on them.
func (r *wireRequest) unknownAction(path string) string {
	if r.Action.set && !knownActions[r.Action.n] {
		return fmt.Sprintf("%s.action has the action %q, which dwctl does not know; it is shown as it is", path, r.Action.raw)
	}
	return ""
}

func (r *wireRequest) request() providers.Request {
	return providers.Request{ID: providers.RequestID(*r.RequestID), Action: providers.MapAction(r.Action.n),
		State: providers.RequestState(r.State.n), Error: r.ErrorMessage,
		Created: parseTime(r.CreatedOn), Modified: parseTime(r.ModifiedOn)}
}

func (m *wireMap) check(c *checker, path string) {
	if c.need(path+".leftEntity", m.LeftEntity != nil) {
		c.need(path+".leftEntity.name", m.LeftEntity.Name != nil && *m.LeftEntity.Name != "")
	}
	if c.need(path+".rightEntity", m.RightEntity != nil) {
		c.need(path+".rightEntity.name", m.RightEntity.Name != nil && *m.RightEntity.Name != "")
	}
	d := m.Detail
	if !c.need(path+".detail", d != nil) {
		return
	}
	c.need(path+".detail.tid", d.TID != nil && *d.TID != "")
	c.need(path+".detail.tName", d.TName != nil && *d.TName != "")
	if c.need(path+".detail.state", d.State.set) && !providers.MapState(d.State.n).Valid() {
		c.fail(path+".detail.state", fmt.Sprintf("has the unknown map state %q", d.State.raw))
	}
	d.Template.check(c, path+".detail.template")
	if c.need(path+".detail.templates", d.Templates != nil) {
		for i := range *d.Templates {
			if t := (*d.Templates)[i]; t.ID != nil { // entries with a null id are skipped [O: DWMapEngine.cs:2026-2032]
				t.check(c, fmt.Sprintf("%s.detail.templates[%d]", path, i))
			}
		}
	}
	if d.LastRequest != nil {
		d.LastRequest.check(c, path+".detail.lastRequest")
	}
	for i := range d.LastRequests {
		d.LastRequests[i].check(c, fmt.Sprintf("%s.detail.lastRequests[%d]", path, i))
	}
}

// toMap converts a checked wireMap; path names it in warnings.
func (m *wireMap) toMap(path string) providers.Map {
	d := m.Detail
	out := providers.Map{
		TemplateID: *d.TID, DisplayName: *d.TName, FinOpsEntity: *m.LeftEntity.Name, FinOpsLabel: m.LeftEntity.DisplayName,
		DataverseTable: *m.RightEntity.Name, DataverseEntitySet: entitySetOf(*d.TName, *m.RightEntity.Name),
		Active: d.Template.template(), State: providers.MapState(d.State.n),
	}
	if d.PID != nil {
		out.ProjectID = *d.PID
	}
	for i := range *d.Templates {
		if t := (*d.Templates)[i]; t.ID != nil {
			out.Versions = append(out.Versions, t.template())
		}
	}
	seen := map[string]bool{}
	for i := range d.LastRequests {
		r := d.LastRequests[i].request()
		seen[string(r.ID)] = true
		out.LastRequests = append(out.LastRequests, r)
		if w := d.LastRequests[i].unknownAction(fmt.Sprintf("%s.detail.lastRequests[%d]", path, i)); w != "" {
			out.Warnings = append(out.Warnings, w)
		}
	}
	if d.LastRequest != nil && !seen[*d.LastRequest.RequestID] {
		out.LastRequests = append(out.LastRequests, d.LastRequest.request())
		if w := d.LastRequest.unknownAction(path + ".detail.lastRequest"); w != "" {
			out.Warnings = append(out.Warnings, w)
		}
	}
	return out
}

// entitySetOf returns a map's Dataverse entity set: the part of its name before " - " (real names
// are "<entity set> - <F&O entity label>", e.g. "uoms - Units" [O: DWH App.config:80-152]), else
// the right entity's name.
func entitySetOf(tName, right string) string {
	if set, _, ok := strings.Cut(tName, " - "); ok && strings.TrimSpace(set) != "" && !strings.ContainsAny(strings.TrimSpace(set), " ()") {
		return strings.TrimSpace(set)
	}
	return right
}

// parseTime reads the gateway's timestamps; an unreadable one is the zero time (display only).
func parseTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// decodeMaps decodes and checks a [DWMap] answer.
func decodeMaps(call string, body []byte) ([]wireMap, error) {
	var maps *[]wireMap
	if err := decodeJSON(call, body, &maps); err != nil {
		return nil, err
	}
	c := &checker{call: call}
	if !c.need("(body)", maps != nil) {
		return nil, c.result()
	}
	for i := range *maps {
		(*maps)[i].check(c, fmt.Sprintf("[%d]", i))
	}
	return *maps, c.result()
}
