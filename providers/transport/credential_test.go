package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
)

const tenant = "00000000-0000-0000-0000-0000000000aa"

// TestSampleTokenRequest checks the client-credentials exchange of protocols §5.1 as azidentity sends
// it through NewCredential: the form, the extra scopes MSAL adds, and the token cached afterwards.
func TestSampleTokenRequest(t *testing.T) {
	ca := newTestCA(t)
	var calls atomic.Int32
	var form map[string][]string
	var base string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /"+tenant+"/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                 base + "/" + tenant + "/v2.0",
			"authorization_endpoint": base + "/" + tenant + "/oauth2/v2.0/authorize",
			"token_endpoint":         base + "/" + tenant + "/oauth2/v2.0/token",
		})
	})
	mux.HandleFunc("POST /"+tenant+"/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_ = r.ParseForm()
		form = r.PostForm
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"opaque-access-token"}`))
	})
	srv := ca.serve(t, mux)
	base = srv.URL
	var logs bytes.Buffer
	cred, err := NewCredential(Auth{Method: AuthClientSecret, TenantID: tenant, ClientID: "11111111-1111-1111-1111-111111111111",
		ClientSecret: "s3cr3t-value", AuthorityHost: srv.URL, CAFile: ca.file,
		Logger: hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: &logs})})
	if err != nil {
		t.Fatal(err)
	}
	opts := policy.TokenRequestOptions{Scopes: []string{"https://contoso.crm.dynamics.com/.default"}}
	for range 2 {
		tok, err := cred.GetToken(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if tok.Token != "opaque-access-token" {
			t.Errorf("token = %q", tok.Token)
		}
	}
	if calls.Load() != 1 {
		t.Errorf("%d token requests; the second GetToken should come from the cache", calls.Load())
	}
	got := map[string]string{}
	for _, k := range []string{"grant_type", "client_id", "client_secret"} {
		got[k] = strings.Join(form[k], ",")
	}
	want := map[string]string{"grant_type": "client_credentials", "client_id": "11111111-1111-1111-1111-111111111111", "client_secret": "s3cr3t-value"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("token form (-want +got):\n%s", diff)
	}
	if scope := strings.Join(form["scope"], " "); !strings.HasPrefix(scope, "https://contoso.crm.dynamics.com/.default") {
		t.Errorf("scope = %q", scope)
	}
	if strings.Contains(logs.String(), "s3cr3t-value") || strings.Contains(logs.String(), "opaque-access-token") {
		t.Errorf("a secret reached the log:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "oauth2/v2.0/token") {
		t.Errorf("the token request was not logged:\n%s", logs.String())
	}
}

func TestNewCredentialRefuses(t *testing.T) {
	cases := map[string]Auth{
		"secret without tenant": {Method: AuthClientSecret, ClientID: "c", ClientSecret: "topsecret"},
		"secret without secret": {Method: AuthClientSecret, TenantID: "t", ClientID: "c"},
		"plain http authority":  {Method: AuthClientSecret, TenantID: "t", ClientID: "c", ClientSecret: "topsecret", AuthorityHost: "http://login.example.com/"},
		"missing CA file":       {Method: AuthClientSecret, TenantID: "t", ClientID: "c", ClientSecret: "topsecret", CAFile: "/nonexistent/ca.pem"},
		"unknown method":        {Method: "password"},
	}
	for name, a := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := NewCredential(a)
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "topsecret") {
				t.Errorf("error shows the secret: %v", err)
			}
		})
	}
}

func TestNewCredentialMethods(t *testing.T) {
	ca := newTestCA(t)
	cases := map[string]Auth{
		"client secret on the emulator": {Method: AuthClientSecret, TenantID: tenant, ClientID: "c", ClientSecret: "x",
			AuthorityHost: "https://127.0.0.1:1", CAFile: ca.file},
		"workload identity": {Method: AuthWorkloadIdentity, TenantID: tenant, ClientID: "c", TokenFile: "/var/run/secrets/azure/tokens/token"},
		"azure cli":         {Method: AuthAzureCLI, TenantID: tenant},
		"default chain":     {Method: AuthDefault},
	}
	for name, a := range cases {
		t.Run(name, func(t *testing.T) {
			cred, err := NewCredential(a)
			if err != nil || cred == nil {
				t.Fatalf("NewCredential: %v", err)
			}
		})
	}
}
