package dualwrite

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/dwctl/dwctl/providers/transport"
)

// deviceAuthority is an Entra-like authority for the device-code and refresh-token grants.
type deviceAuthority struct {
	srv     *httptest.Server
	mu      sync.Mutex
	grants  []string
	clients []string // client_id of each token request
	issued  int
	expires int // expires_in of the device-code grant's token
}

func newDeviceAuthority(t *testing.T) *deviceAuthority {
	a := &deviceAuthority{expires: 60}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /tenant1/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		base := a.srv.URL + "/tenant1"
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": base + "/v2.0", "token_endpoint": base + "/oauth2/v2.0/token",
			"authorization_endpoint": base + "/oauth2/v2.0/authorize", "device_authorization_endpoint": base + "/oauth2/v2.0/devicecode"})
	})
	mux.HandleFunc("POST /tenant1/oauth2/v2.0/devicecode", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"user_code": "ABCD-EFGH", "device_code": "dc1", "verification_uri": "https://microsoft.com/devicelogin",
			"expires_in": 900, "interval": 1, "message": "To sign in, enter ABCD-EFGH"})
	})
	mux.HandleFunc("POST /tenant1/oauth2/v2.0/token", a.token)
	a.srv = httptest.NewTLSServer(mux)
	t.Cleanup(a.srv.Close)
	return a
}

func (a *deviceAuthority) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	a.mu.Lock()
	defer a.mu.Unlock()
	grant := r.PostForm.Get("grant_type")
	a.grants = append(a.grants, grant)
	a.clients = append(a.clients, r.PostForm.Get("client_id"))
	expires := 3600
	switch {
	case strings.HasSuffix(grant, "device_code") && r.PostForm.Get("device_code") == "dc1":
		expires = a.expires
	case grant == "refresh_token" && r.PostForm.Get("refresh_token") == "rt-secret":
	default:
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": "invalid_grant", "error_description": "AADSTS70000: bad grant"})
		return
	}
	a.issued++
	enc := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }
	idToken := enc(map[string]any{"alg": "none"}) + "." + enc(map[string]any{"aud": r.PostForm.Get("client_id"), "iss": a.srv.URL + "/tenant1/v2.0",
		"oid": "user-1", "sub": "user-1", "tid": "tenant1", "preferred_username": "admin@contoso.com", "exp": 4102444800}) + ".sig"
	_ = json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "scope": Scope, "expires_in": expires,
		"access_token": "at-" + string(rune('0'+a.issued)), "refresh_token": "rt-secret", "id_token": idToken,
		"client_info": enc(map[string]any{"uid": "user-1", "utid": "tenant1"})})
}

func TestLoginAndSilentRefresh(t *testing.T) {
	a := newDeviceAuthority(t)
	cachePath := filepath.Join(t.TempDir(), "dwctl", "gateway-token.json")
	opts := LoginOptions{TenantID: "tenant1", ClientID: "client-1", AuthorityHost: a.srv.URL, CachePath: cachePath, HTTPClient: a.srv.Client()}
	var shown string
	opts.Prompt = func(m string) { shown = m }
	acct, err := Login(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if acct.Username != "admin@contoso.com" || shown != "To sign in, enter ABCD-EFGH" {
		t.Errorf("account = %+v, prompt = %q", acct, shown)
	}
	st, err := os.Stat(cachePath)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("cache file: %v, mode %v", err, st.Mode())
	}
	// A later process: the cached token expires within MSAL's refresh window, so GetToken refreshes
	// with the cached refresh token, without a prompt.
	cred, err := UserCredential(opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{Scope}})
	if err != nil || tok.Token != "at-2" {
		t.Fatalf("GetToken = %q, %v", tok.Token, err)
	}
	again, _ := UserCredential(opts)
	tok, err = again.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{Scope}})
	if err != nil || tok.Token != "at-2" {
		t.Fatalf("second GetToken = %q, %v (want the refreshed token from the file)", tok.Token, err)
	}
	if len(a.grants) != 2 || a.grants[1] != "refresh_token" {
		t.Errorf("grants = %v", a.grants)
	}
	data, _ := os.ReadFile(cachePath)
	if !strings.Contains(string(data), `"account"`) {
		t.Errorf("cache lacks the account: %s", data)
	}
}

func TestNotSignedIn(t *testing.T) {
	a := newDeviceAuthority(t)
	cred, err := UserCredential(LoginOptions{TenantID: "tenant1", AuthorityHost: a.srv.URL, CachePath: filepath.Join(t.TempDir(), "none.json"), HTTPClient: a.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{Scope}})
	if !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("error = %v, want ErrNotSignedIn", err)
	}
}

func TestCredentialFromEnvironment(t *testing.T) {
	a := newDeviceAuthority(t)
	cache := filepath.Join(t.TempDir(), "pipeline-cache.json")
	t.Setenv(CacheEnv, cache)
	// The cache named by the environment is used: signing in fills it, the pipeline reads it.
	if _, err := Login(context.Background(), LoginOptions{TenantID: "tenant1", ClientID: "client-1", AuthorityHost: a.srv.URL,
		HTTPClient: a.srv.Client(), Prompt: func(string) {}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cache); err != nil {
		t.Fatalf("login did not use %s: %v", CacheEnv, err)
	}
	cred, err := CredentialFromEnvironment(transport.Auth{TenantID: "tenant1", AuthorityHost: a.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cred.(*userCredential); !ok {
		t.Fatalf("credential is %T, want the cached user credential", cred)
	}
}

// TestLoginWithOwnAppRegistration signs in with a customer's app registration; later runs refresh
// with that client, whatever client id they are given, since only it can redeem the refresh token.
func TestLoginWithOwnAppRegistration(t *testing.T) {
	a := newDeviceAuthority(t)
	cachePath := filepath.Join(t.TempDir(), "gateway-token.json")
	if _, err := Login(context.Background(), LoginOptions{TenantID: "tenant1", ClientID: "contoso-dwctl-app", AuthorityHost: a.srv.URL,
		CachePath: cachePath, HTTPClient: a.srv.Client(), Prompt: func(string) {}}); err != nil {
		t.Fatal(err)
	}
	cred, err := UserCredential(LoginOptions{AuthorityHost: a.srv.URL, CachePath: cachePath, HTTPClient: a.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{Scope}}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"contoso-dwctl-app", "contoso-dwctl-app"}; strings.Join(a.clients, ",") != strings.Join(want, ",") {
		t.Errorf("client ids of the token requests = %v, want %v", a.clients, want)
	}
}
