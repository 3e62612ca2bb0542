package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {env.info.ClientID},
		"client_secret": {env.info.ClientSecret}, "scope": {env.info.DataverseURL + "/.default openid offline_access profile"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vals := range good {
			f[key] = vals
		}
		f.Set(k, v)
		return f
	}
	cases := map[string]struct {
		tenant     string
		form       url.Values
		wantStatus int
		wantError  string
		wantCode   float64
	}{
		"dataverse scope":        {form: good, wantStatus: 200},
		"finops scope":           {form: with("scope", env.info.FinOpsURL+"/.default"), wantStatus: 200},
		"control plane scope":    {form: with("scope", ControlAudience+"/.default"), wantStatus: 200},
		"wrong secret":           {form: with("client_secret", "nope"), wantStatus: 401, wantError: "invalid_client", wantCode: 7000215},
		"unknown client":         {form: with("client_id", "00000000-0000-0000-0000-000000000000"), wantStatus: 400, wantError: "unauthorized_client", wantCode: 700016},
		"unknown resource":       {form: with("scope", "https://other.crm.dynamics.com/.default"), wantStatus: 400, wantError: "invalid_resource", wantCode: 500011},
		"scope without .default": {form: with("scope", env.info.DataverseURL), wantStatus: 400, wantError: "invalid_scope", wantCode: 1002012},
		"password grant":         {form: with("grant_type", "password"), wantStatus: 400, wantError: "unsupported_grant_type", wantCode: 70003},
		"unknown tenant":         {tenant: "11111111-1111-1111-1111-111111111111", form: good, wantStatus: 400, wantError: "invalid_request", wantCode: 90002},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tenant := tc.tenant
			if tenant == "" {
				tenant = env.info.TenantID
			}
			resp, err := env.client.PostForm(env.info.AuthorityURL+"/"+tenant+"/oauth2/v2.0/token", tc.form)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tc.wantStatus, body)
			}
			if tc.wantStatus == 200 {
				if body["token_type"] != "Bearer" || body["expires_in"] != 3599.0 || body["ext_expires_in"] != 3599.0 || body["access_token"] == "" {
					t.Fatalf("token answer %v", body)
				}
				return
			}
			got := []any{body["error"], body["error_codes"].([]any)[0]}
			if diff := cmp.Diff([]any{tc.wantError, tc.wantCode}, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if strings.Contains(body["error_description"].(string), env.info.ClientSecret) {
				t.Error("the error names the secret")
			}
		})
	}
}

func TestOpenIDConfiguration(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	resp, err := env.client.Get(env.info.AuthorityURL + "/" + env.info.TenantID + "/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	base := env.info.AuthorityURL + "/" + env.info.TenantID
	got := map[string]any{"issuer": body["issuer"], "token_endpoint": body["token_endpoint"], "authorization_endpoint": body["authorization_endpoint"]}
	want := map[string]any{"issuer": base + "/v2.0", "token_endpoint": base + "/oauth2/v2.0/token", "authorization_endpoint": base + "/oauth2/v2.0/authorize"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("openid configuration (-want +got):\n%s", diff)
	}
}

// TestTokenRefusals checks that each resource server refuses missing, malformed, expired and
// wrong-audience tokens with 401 and the WWW-Authenticate challenge.
func TestTokenRefusals(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	expired, err := env.e.TokenFor(env.info.DataverseURL, -time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		svc, path, token string
		want             int
	}{
		"dataverse with its token":         {"dv", "/api/data/v9.2/WhoAmI", env.token(env.info.DataverseURL), 200},
		"finops with its token":            {"fo", "/data/LegalEntities", env.token(env.info.FinOpsURL), 200},
		"dataverse without token":          {"dv", "/api/data/v9.2/WhoAmI", "", 401},
		"dataverse with garbage":           {"dv", "/api/data/v9.2/WhoAmI", "Bearer abc.def.ghi", 401},
		"dataverse with expired token":     {"dv", "/api/data/v9.2/WhoAmI", expired, 401},
		"dataverse token refused by F&O":   {"fo", "/data/LegalEntities", env.token(env.info.DataverseURL), 401},
		"F&O token refused by Dataverse":   {"dv", "/api/data/v9.2/WhoAmI", env.token(env.info.FinOpsURL), 401},
		"control token refused by F&O":     {"fo", "/data/LegalEntities", env.token(ControlAudience), 401},
		"dataverse with basic credentials": {"dv", "/api/data/v9.2/WhoAmI", "Basic dXNlcjpwYXNz", 401},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			auth := tc.token
			if auth != "" && !strings.Contains(auth, " ") {
				auth = "Bearer " + auth
			}
			r := env.do(tc.svc, "GET", tc.path, "", "Authorization", auth)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %s", r.status, tc.want, r.body)
			}
			if tc.want != http.StatusUnauthorized {
				return
			}
			base := env.info.DataverseURL
			if tc.svc == "fo" {
				base = env.info.FinOpsURL
			}
			want := "Bearer authorization_uri=" + env.info.AuthorityURL + "/" + env.info.TenantID + "/oauth2/authorize, resource_id=" + base + "/"
			if diff := cmp.Diff(want, r.header.Get("WWW-Authenticate")); diff != "" {
				t.Errorf("WWW-Authenticate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAuthorizeControlAudience(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	env.e.HandleAuthority("GET /api/_test/probe", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := env.e.Authorize(r, ControlAudience); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	cases := map[string]struct {
		resource string
		want     int
	}{
		"control token":   {ControlAudience, 200},
		"dataverse token": {env.info.DataverseURL, 401},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", env.info.ControlURL+"/api/_test/probe", nil)
			req.Header.Set("Authorization", "Bearer "+env.token(tc.resource))
			resp, err := env.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}

func TestTokenEndpointV1(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {env.info.ClientID},
		"client_secret": {env.info.ClientSecret}, "resource": {env.info.FinOpsURL}}
	resp, err := env.client.PostForm(env.info.AuthorityURL+"/"+env.info.TenantID+"/oauth2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	got := []any{resp.StatusCode, body["resource"], body["expires_in"]}
	if diff := cmp.Diff([]any{200, env.info.FinOpsURL, "3599"}, got); diff != "" {
		t.Fatalf("v1 token (-want +got):\n%s", diff)
	}
	if r := env.do("fo", "GET", "/data/LegalEntities", "", "Authorization", "Bearer "+body["access_token"].(string)); r.status != 200 {
		t.Errorf("v1 token refused: %d", r.status)
	}
}

// TestHandlerPanicAnswers500 checks that a failing handler gives a 500 answer, not a dropped connection.
func TestHandlerPanicAnswers500(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	env.e.HandleAuthority("GET /panics", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("bug") }))
	resp, err := env.client.Get(env.info.AuthorityURL + "/panics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", resp.StatusCode)
	}
}
