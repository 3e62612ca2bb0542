package dualwrite

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/transport"
)

// staticCredential hands out one fixed token.
type staticCredential struct{}

func (staticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "test-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// recorded is a gateway answering from recorded bodies, by "METHOD path" (path without query).
type recorded struct {
	mu      sync.Mutex
	answers map[string][]string // consumed in order; the last one repeats
	got     []recordedRequest
}

type recordedRequest struct {
	Method, Path, Query, Body string
}

func (g *recorded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.got = append(g.got, recordedRequest{r.Method, r.URL.Path, r.URL.RawQuery, string(body)})
	key := r.Method + " " + r.URL.Path
	list := g.answers[key]
	if len(list) == 0 {
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":{"code":"NotFound","message":"no recorded answer for `+key+`"}}`)
		return
	}
	ans := list[0]
	if len(list) > 1 {
		g.answers[key] = list[1:]
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, ans)
}

func newRecorded(t *testing.T, answers map[string][]string, poll PollOptions) (*Client, *recorded) {
	t.Helper()
	g := &recorded{answers: answers}
	srv := httptest.NewTLSServer(g)
	t.Cleanup(srv.Close)
	c, err := New(Options{Gateway: srv.URL, FinOpsEnvironment: "https://contoso.operations.dynamics.com/",
		Credential: staticCredential{}, HTTPClient: srv.Client(), Poll: poll, Retry: transport.RetryOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return c, g
}

var testLink = providers.LinkInfo{ConnectionSetID: "cid-1", ConnectionSetName: "cs-1", FinOpsEnvironment: "contoso.operations.dynamics.com"}

// mapJSON is one DWMap; edit changes its decoded form before it is encoded again.
func mapJSON(t *testing.T, edit func(m map[string]any)) string {
	t.Helper()
	base := `{"leftEntity":{"targetType":"AX","name":"CustomersV3","displayName":"Customers V3"},
	 "rightEntity":{"targetType":"CRM","name":"account","displayName":"Account"},
	 "detail":{"tid":"t1","tName":"accounts - Customers V3","pid":"p1",
	  "template":{"id":"t1","author":"Microsoft","readOnly":true,"version":{"major":1,"minor":0,"build":0,"revision":12},"createdDateTime":"2026-01-02T03:04:05Z"},
	  "templates":[{"id":"t1","author":"Microsoft","readOnly":true,"version":{"major":1,"minor":0,"build":0,"revision":12}}],
	  "state":"4","lastRequests":[{"requestId":"r1","action":"1","state":"2","createdOn":"2026-01-02T03:04:05Z"}]}}`
	var m map[string]any
	if err := json.Unmarshal([]byte(base), &m); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(m)
	}
	out, _ := json.Marshal(m)
	return string(out)
}

func detail(m map[string]any) map[string]any { return m["detail"].(map[string]any) }

func TestChangedAnswers(t *testing.T) {
	cases := map[string]struct {
		edit       func(m map[string]any)
		wantCall   string
		wantField  string
		wantDetail string
	}{
		"unknown map state": {edit: func(m map[string]any) { detail(m)["state"] = "9" },
			wantCall: "GET Entities", wantField: "[0].detail.state", wantDetail: `unknown map state "9"`},
		"map state not a number": {edit: func(m map[string]any) { detail(m)["state"] = "Running" },
			wantCall: "GET Entities", wantField: "[0].detail.state", wantDetail: `"Running"`},
		"missing state": {edit: func(m map[string]any) { delete(detail(m), "state") },
			wantCall: "GET Entities", wantField: "[0].detail.state", wantDetail: "is missing"},
		"missing tid": {edit: func(m map[string]any) { delete(detail(m), "tid") },
			wantCall: "GET Entities", wantField: "[0].detail.tid", wantDetail: "is missing"},
		"missing templates": {edit: func(m map[string]any) { delete(detail(m), "templates") },
			wantCall: "GET Entities", wantField: "[0].detail.templates", wantDetail: "is missing"},
		"version without revision": {edit: func(m map[string]any) {
			delete(detail(m)["template"].(map[string]any)["version"].(map[string]any), "revision")
		}, wantCall: "GET Entities", wantField: "[0].detail.template.version.revision", wantDetail: "is missing"},
		"unknown request state": {edit: func(m map[string]any) {
			detail(m)["lastRequests"].([]any)[0].(map[string]any)["state"] = "7"
		}, wantCall: "GET Entities", wantField: "[0].detail.lastRequests[0].state", wantDetail: `unknown request state "7"`},
		"missing right entity": {edit: func(m map[string]any) { delete(m, "rightEntity") },
			wantCall: "GET Entities", wantField: "[0].rightEntity", wantDetail: "is missing"},
		"missing map name": {edit: func(m map[string]any) { delete(detail(m), "tName") },
			wantCall: "GET Entities", wantField: "[0].detail.tName", wantDetail: "is missing"},
		"template without author": {edit: func(m map[string]any) {
			delete(detail(m)["templates"].([]any)[0].(map[string]any), "author")
		}, wantCall: "GET Entities", wantField: "[0].detail.templates[0].author", wantDetail: "is missing"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, _ := newRecorded(t, map[string][]string{"GET /api/DualWriteManagement/1.0/Entities": {"[" + mapJSON(t, tc.edit) + "]"}}, PollOptions{})
			_, err := c.Maps(context.Background(), testLink)
			assertChanged(t, err, tc.wantCall, tc.wantField, tc.wantDetail)
		})
	}
}

func assertChanged(t *testing.T, err error, call, field, detail string) {
	t.Helper()
	var ce *ChangedError
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v, want a *ChangedError", err)
	}
	if ce.Call != call || ce.Field != field || !strings.Contains(ce.Problem, detail) {
		t.Fatalf("ChangedError = {%q %q %q}, want call %q field %q problem containing %q", ce.Call, ce.Field, ce.Problem, call, field, detail)
	}
	for _, s := range []string{call, field, "gateway changed"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("message %q does not name %q", err.Error(), s)
		}
	}
}

func TestMapsDecodes(t *testing.T) {
	c, g := newRecorded(t, map[string][]string{"GET /api/DualWriteManagement/1.0/Entities": {"[" + mapJSON(t, nil) + "]"}}, PollOptions{})
	maps, err := c.Maps(context.Background(), testLink)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tmpl := providers.MapTemplate{ID: "t1", Author: "Microsoft", Version: "1.0.0.12", ReadOnly: true}
	active := tmpl
	active.Created = created
	want := []providers.Map{{TemplateID: "t1", ProjectID: "p1", DisplayName: "accounts - Customers V3", FinOpsEntity: "CustomersV3",
		FinOpsLabel: "Customers V3", DataverseTable: "account", DataverseEntitySet: "accounts", Active: active,
		Versions: []providers.MapTemplate{tmpl}, State: providers.StateRunning,
		LastRequests: []providers.Request{{ID: "r1", Action: providers.ActionStart, State: providers.RequestCompleted, Created: created}}}}
	if diff := cmp.Diff(want, maps); diff != "" {
		t.Errorf("maps (-want +got):\n%s", diff)
	}
	if got := g.got[0]; got.Query != "targetType=AX&cid=cid-1" {
		t.Errorf("query = %q", got.Query)
	}
}
