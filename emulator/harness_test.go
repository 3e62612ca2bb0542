package emulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// mgmt is the gateway's management prefix [O].
const mgmt = "/api/DualWriteManagement/1.0/"

// The gateway's map actions (Start's action field) [O].
const (
	actStop   = 4
	actPause  = 5
	actResume = 6
)

// testEnv is a running emulator with a plain net/http client that trusts only its CA.
type testEnv struct {
	t      testing.TB
	e      *Emulator
	info   Info
	client *http.Client
	tokens map[string]string
}

func startEnv(t testing.TB, opts Options) *testEnv {
	t.Helper()
	if opts.DataDir == "" {
		opts.DataDir = t.TempDir()
	}
	e, err := Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return newTestEnv(t, e)
}

func newTestEnv(t testing.TB, e *Emulator) *testEnv {
	info := e.Info()
	pem, err := os.ReadFile(info.CAFile)
	if err != nil {
		t.Fatalf("reading CA: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, MaxIdleConnsPerHost: 64, ForceAttemptHTTP2: true}
	return &testEnv{t: t, e: e, info: info, client: &http.Client{Transport: tr, Timeout: 60 * time.Second}, tokens: map[string]string{}}
}

// token gets a token for resource from the authority over HTTP (client credentials).
func (env *testEnv) token(resource string) string {
	env.t.Helper()
	if tok, ok := env.tokens[resource]; ok {
		return tok
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {env.info.ClientID},
		"client_secret": {env.info.ClientSecret}, "scope": {resource + "/.default openid offline_access profile"}}
	resp, err := env.client.PostForm(env.info.AuthorityURL+"/"+env.info.TenantID+"/oauth2/v2.0/token", form)
	if err != nil {
		env.t.Fatalf("token: %v", err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&body) != nil || body.AccessToken == "" {
		env.t.Fatalf("token: status %d", resp.StatusCode)
	}
	env.tokens[resource] = body.AccessToken
	return body.AccessToken
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("answer is not JSON (%d): %s", r.status, r.body)
	}
	return m
}

// do sends a request to a service with a token for it (svc "dv" or "fo"; "" for none).
func (env *testEnv) do(svc, method, path, body string, headers ...string) response {
	env.t.Helper()
	base := env.info.DataverseURL
	if svc == "fo" {
		base = env.info.FinOpsURL
	}
	req, err := http.NewRequest(method, base+strings.ReplaceAll(path, " ", "%20"), strings.NewReader(body))
	if err != nil {
		env.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("OData-MaxVersion", "4.0")
	req.Header.Set("OData-Version", "4.0")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+env.token(base))
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Authorization" && headers[i+1] == "" {
			req.Header.Del("Authorization")
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := env.client.Do(req)
	if err != nil {
		env.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}
