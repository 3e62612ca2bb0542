package dualwrite

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

var actionSteps = map[providers.MapAction]string{
	providers.ActionStart: "start", providers.ActionStop: "stop", providers.ActionPause: "pause",
	providers.ActionResume: "resume", providers.ActionInitialize: "initialize",
}

// stepOf names an action in errors.
func stepOf(a providers.MapAction) string {
	if s, ok := actionSteps[a]; ok {
		return s
	}
	return fmt.Sprintf("action %d", int(a))
}

// Act starts one request for the maps (POST Start) and returns its id [O].
func (c *Client) Act(ctx context.Context, link providers.LinkInfo, action providers.MapAction, maps []providers.Map, opts providers.ActionOptions) (providers.RequestID, error) {
	step := stepOf(action)
	if _, ok := actionSteps[action]; !ok {
		return "", fmt.Errorf("dual-write: unknown action %d", int(action))
	}
	if len(maps) == 0 {
		return "", fmt.Errorf("dual-write: %s: no maps given", step)
	}
	params, err := actionParameters(action, opts)
	if err != nil {
		return "", fmt.Errorf("dual-write: %s %s: %w", step, quoteList(names(maps)), err)
	}
	details := make([]map[string]any, 0, len(maps))
	for _, m := range maps {
		d := map[string]any{"tid": activeTemplate(m), "cid": link.ConnectionSetID}
		if action != providers.ActionInitialize {
			d["pid"] = m.ProjectID
		}
		if params != nil {
			d["parameters"] = params
		}
		details = append(details, d)
	}
	k := call{step: step, target: strings.Join(names(maps), ", "), method: "POST", path: ManagementPath + "Start",
		body: map[string]any{"action": codeOf(int(action)), "details": details}}
	body, err := c.do(ctx, k)
	if err != nil {
		return "", err
	}
	var r struct {
		RequestID *string `json:"requestId"`
	}
	if err := decodeJSON(k.name(), body, &r); err != nil {
		return "", err
	}
	ch := &checker{call: k.name()}
	if !ch.need("requestId", r.RequestID != nil && *r.RequestID != "") {
		return "", ch.err
	}
	return providers.RequestID(*r.RequestID), nil
}

// actionParameters builds the parameters of Start's details [O].
func actionParameters(action providers.MapAction, o providers.ActionOptions) (map[string]any, error) {
	switch action {
	case providers.ActionStart:
		master := "CRM"
		switch o.Master {
		case "", "dataverse":
		case "finops":
			master = "AX"
		default:
			return nil, fmt.Errorf("unknown master %q (finops or dataverse)", o.Master)
		}
		return map[string]any{"skipInitialSync": o.SkipInitialSync,
			"conflictResolution": map[string]any{"option": "1", "master": master}}, nil
	case providers.ActionResume:
		if !o.SkipCatchUp {
			return nil, nil
		}
		return map[string]any{"dualWriteSkipCatchUpSyncParameters": map[string]any{"skipCatchUpSyncPreserveData": o.PreserveQueue}}, nil
	}
	return nil, nil
}

// activeTemplate is the tid of Start: the active template (version) id [O: DWMapEngine.cs:1748, 1795].
func activeTemplate(m providers.Map) string {
	if m.Active.ID != "" {
		return m.Active.ID
	}
	return m.TemplateID
}

func names(maps []providers.Map) []string {
	out := make([]string, len(maps))
	for i, m := range maps {
		out[i] = m.DisplayName
	}
	return out
}

// Wait polls GET Status/{id} with exponential backoff until the request completes or fails, the
// poll timeout passes or ctx ends [O].
func (c *Client) Wait(ctx context.Context, link providers.LinkInfo, id providers.RequestID) (providers.Request, error) {
	poll := c.polling()
	deadline := poll.Now().Add(poll.Timeout)
	wait := poll.Interval
	for {
		req, maps, err := c.status(ctx, id)
		if err != nil {
			return req, err
		}
		switch req.State {
		case providers.RequestCompleted:
			return req, nil
		case providers.RequestError:
			return req, &RequestError{Step: stepOf(req.Action), Maps: maps, ID: string(id), Message: req.Error}
		}
		if !poll.Now().Add(wait).Before(deadline) {
			return req, fmt.Errorf("dual-write: %s %s: request %s is still waiting after %s", stepOf(req.Action), quoteList(maps), id, poll.Timeout)
		}
		if err := poll.Sleep(ctx, wait); err != nil {
			return req, fmt.Errorf("dual-write: waiting for request %s: %w", id, err)
		}
		wait = min(wait*2, poll.MaxInterval)
	}
}

// status reads a request once: the request as the maps that carry it report it, and their names.
func (c *Client) status(ctx context.Context, id providers.RequestID) (providers.Request, []string, error) {
	k := call{step: "poll request", target: string(id), method: "GET", path: ManagementPath + "Status/" + url.PathEscape(string(id))}
	body, err := c.do(ctx, k)
	if err != nil {
		return providers.Request{}, nil, err
	}
	wire, err := decodeMaps(k.name(), body)
	if err != nil {
		return providers.Request{}, nil, err
	}
	var found *providers.Request
	var maps []string
	for i := range wire {
		m := wire[i].toMap("")
		for _, r := range m.LastRequests {
			if r.ID != id {
				continue
			}
			maps = append(maps, m.DisplayName)
			if found == nil || r.State == providers.RequestError || (r.State == providers.RequestWaiting && found.State == providers.RequestCompleted) {
				r := r
				found = &r
			}
		}
	}
	if found == nil {
		return providers.Request{}, nil, &ChangedError{Call: k.name(), Field: "[].detail.lastRequests",
			Problem: fmt.Sprintf("holds no request with id %q", id)}
	}
	return *found, maps, nil
}
