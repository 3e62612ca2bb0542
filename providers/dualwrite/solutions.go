package dualwrite

import (
	"context"
	"fmt"
	"net/url"

	"github.com/dwctl/dwctl/providers"
)

// wireSolution is one answer item of SolutionAware/{cid}/Solutions/ [O: SolutionList.cs].
type wireSolution struct {
	UniqueName   *string `json:"uniquename"`
	FriendlyName string  `json:"friendlyname"`
	Version      string  `json:"version"`
	IsManaged    bool    `json:"ismanaged"`
}

// Solutions lists the Dataverse solutions the gateway can apply [O: DWCommonEngine.cs:220-239].
func (c *Client) Solutions(ctx context.Context, link providers.LinkInfo) ([]providers.Solution, error) {
	k := call{step: "list solutions", target: link.ConnectionSetName, method: "GET",
		path: ManagementPath + "SolutionAware/" + url.PathEscape(link.ConnectionSetID) + "/Solutions/"}
	body, err := c.do(ctx, k)
	if err != nil {
		return nil, err
	}
	var list *[]wireSolution
	if err := decodeJSON(k.name(), body, &list); err != nil {
		return nil, err
	}
	ch := &checker{call: k.name()}
	if !ch.need("(body)", list != nil) {
		return nil, ch.err
	}
	out := []providers.Solution{}
	for i, s := range *list {
		if !ch.need(fmt.Sprintf("[%d].uniquename", i), s.UniqueName != nil && *s.UniqueName != "") {
			return nil, ch.err
		}
		out = append(out, providers.Solution{UniqueName: *s.UniqueName, FriendlyName: s.FriendlyName, Version: s.Version, Managed: s.IsManaged})
	}
	return out, nil
}

// ApplySolution publishes the maps of a solution ("Apply solution"): POST
// SolutionAware/{cid}/RestoreTemplates with {action:"2", solutions:[{criteria:{uniquename}}]}, one
// solution per request, then polls SolutionAware/{cid}/Status/{requestId} until its state is 2
// (done) or 3 (error) [O: DWSolutionEngine.cs:56-170].
func (c *Client) ApplySolution(ctx context.Context, link providers.LinkInfo, uniqueName string) error {
	k := call{step: "apply solution", target: uniqueName, method: "POST",
		path: ManagementPath + "SolutionAware/" + url.PathEscape(link.ConnectionSetID) + "/RestoreTemplates",
		body: map[string]any{"action": "2", "solutions": []any{map[string]any{"criteria": map[string]string{"uniquename": uniqueName}}}}}
	body, err := c.do(ctx, k)
	if err != nil {
		return err
	}
	var r struct {
		RequestID *string `json:"requestId"`
	}
	if err := decodeJSON(k.name(), body, &r); err != nil {
		return err
	}
	if ch := (&checker{call: k.name()}); !ch.need("requestId", r.RequestID != nil && *r.RequestID != "") {
		return ch.err
	}
	return c.waitSolution(ctx, link, uniqueName, *r.RequestID)
}

// wireSolutionStatus is the answer of SolutionAware/{cid}/Status/{id} [O: SolutionHelpers.cs].
type wireSolutionStatus struct {
	State  code `json:"state"`
	Result *struct {
		Message string `json:"message"`
		Status  string `json:"status"`
	} `json:"result"`
}

func (c *Client) waitSolution(ctx context.Context, link providers.LinkInfo, uniqueName, id string) error {
	poll := c.polling()
	deadline := poll.Now().Add(poll.Timeout)
	wait := poll.Interval
	k := call{step: "poll solution", target: uniqueName, method: "GET",
		path: ManagementPath + "SolutionAware/" + url.PathEscape(link.ConnectionSetID) + "/Status/" + url.PathEscape(id)}
	for {
		body, err := c.do(ctx, k)
		if err != nil {
			return err
		}
		var st wireSolutionStatus
		if err := decodeJSON(k.name(), body, &st); err != nil {
			return err
		}
		ch := &checker{call: k.name()}
		if !ch.need("state", st.State.set) {
			return ch.err
		}
		switch providers.RequestState(st.State.n) {
		case providers.RequestCompleted:
			return nil
		case providers.RequestError:
			msg := "the service gave no message"
			if st.Result != nil && st.Result.Message != "" {
				msg = st.Result.Message
			}
			return &RequestError{Step: "apply solution " + uniqueName, ID: id, Message: msg}
		case providers.RequestWaiting, 0:
		default:
			return &ChangedError{Call: k.name(), Field: "state", Problem: fmt.Sprintf("has the unknown request state %q", st.State.raw)}
		}
		if !poll.Now().Add(wait).Before(deadline) {
			return fmt.Errorf("dual-write: apply solution %s: request %s is still running after %s", uniqueName, id, poll.Timeout)
		}
		if err := poll.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("dual-write: waiting for request %s: %w", id, err)
		}
		wait = min(wait*2, poll.MaxInterval)
	}
}
