package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// emulatorInfo is the JSON line emulator serve prints; its keys are a
// contract with scripts.
type emulatorInfo struct {
	DataverseURL string `json:"dataverse_url"`
	FinOpsURL    string `json:"finops_url"`
	AuthorityURL string `json:"authority_url"`
	ControlURL   string `json:"control_url"`
	TenantID     string `json:"tenant_id"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	CAFile       string `json:"ca_file"`
	// ClientCertificateFile is the application's certificate for client_certificate auth.
	ClientCertificateFile string `json:"client_certificate_file"`
	// The token sources of the pipelines and managed identity methods.
	PipelinesOIDCURL string `json:"pipelines_oidc_url"`
	GitHubOIDCURL    string `json:"github_oidc_url"`
	RunnerToken      string `json:"runner_token"`
	IdentityEndpoint string `json:"identity_endpoint"`
	IdentityHeader   string `json:"identity_header"`
}

// serving is a running `dwctl emulator serve`.
type serving struct {
	cmd    *exec.Cmd
	info   emulatorInfo
	stdout *bufio.Reader
	stderr *strings.Builder
}

// serveEmulator starts the binary and reads its JSON line.
func serveEmulator(t *testing.T, logLevel string, args ...string) *serving {
	t.Helper()
	cmd := exec.Command(filepath.Join(binary(t), "dwctl"), append([]string{"emulator", "serve"}, args...)...)
	cmd.Env = append(os.Environ(), "DWCTL_LOG="+logLevel, "DWCTL_LOG_PATH=", "NO_COLOR=")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &serving{cmd: cmd, stdout: bufio.NewReader(out), stderr: &strings.Builder{}}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := s.stdout.ReadBytes('\n')
	if err != nil {
		_ = cmd.Wait()
		t.Fatalf("no JSON line from emulator serve: %v\nstderr: %s", err, s.stderr)
	}
	dec := json.NewDecoder(strings.NewReader(string(line)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s.info); err != nil {
		t.Fatalf("JSON line %q: %v", line, err)
	}
	return s
}

// stop sends sig and checks the process ends cleanly with nothing more on
// stdout.
func (s *serving) stop(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(s.stdout)
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("emulator serve after %v: %v\nstderr: %s", sig, err, s.stderr)
	}
	if len(rest) != 0 {
		t.Errorf("stdout after the JSON line: %q", rest)
	}
	if crashed.MatchString(s.stderr.String()) {
		t.Errorf("crash output:\n%s", s.stderr)
	}
}

// ports is the -ports value that names the ports a running emulator uses.
func ports(t *testing.T, info emulatorInfo) string {
	t.Helper()
	var out []string
	for _, raw := range []string{info.DataverseURL, info.FinOpsURL, info.AuthorityURL} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, u.Port())
	}
	return strings.Join(out, ",")
}

// client trusts only the emulator's CA.
func (s *serving) client(t *testing.T) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(s.info.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in %s", s.info.CAFile)
	}
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// token gets an access token by client credentials for resource.
func (s *serving) token(t *testing.T, c *http.Client, resource string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.info.ClientID},
		"client_secret": {s.info.ClientSecret}, "scope": {resource + "/.default"}}
	resp, err := c.PostForm(s.info.AuthorityURL+"/"+s.info.TenantID+"/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 || body.AccessToken == "" {
		t.Fatalf("token: status %d, err %v", resp.StatusCode, err)
	}
	return body.AccessToken
}

// get reads url with the bearer token and returns the status and body.
func get(t *testing.T, c *http.Client, url, token string) (int, []byte) {
	t.Helper()
	return send(t, c, http.MethodGet, url, token, "")
}

// TestEmulatorServe runs `dwctl emulator serve`, takes a token from its
// authority with a plain HTTP client, reads Dataverse accounts, checks a
// Dataverse token is refused by F&O, stops it with SIGINT, restarts it on
// the same data and stops it with SIGTERM. Nothing secret reaches the log,
// even at trace level.
func TestEmulatorServe(t *testing.T) {
	data := t.TempDir()
	s := serveEmulator(t, "trace", "-data", data, "-finops=demo", "-dataverse=existing", "-rows=3")
	for name, u := range map[string]string{"dataverse_url": s.info.DataverseURL, "finops_url": s.info.FinOpsURL,
		"authority_url": s.info.AuthorityURL, "control_url": s.info.ControlURL} {
		if !strings.HasPrefix(u, "https://127.0.0.1:") {
			t.Errorf("%s = %q, want a loopback https URL", name, u)
		}
	}
	c := s.client(t)
	dvToken := s.token(t, c, s.info.DataverseURL)
	status, body := get(t, c, s.info.DataverseURL+"/api/data/v9.2/accounts?$top=2", dvToken)
	if status != http.StatusOK {
		t.Fatalf("accounts: status %d: %s", status, body)
	}
	var page struct {
		Context string           `json:"@odata.context"`
		Value   []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatalf("accounts body %s: %v", body, err)
	}
	if len(page.Value) != 2 || !strings.Contains(page.Context, "$metadata#accounts") {
		t.Errorf("accounts: %d rows, context %q; want 2 rows of accounts", len(page.Value), page.Context)
	}
	if status, _ := get(t, c, s.info.FinOpsURL+"/data/CustomersV3?cross-company=true&$top=2", dvToken); status != http.StatusUnauthorized {
		t.Errorf("F&O with a Dataverse token: status %d, want 401", status)
	}
	busy := dwctl(t, t.TempDir(), "emulator", "serve", "-data", t.TempDir(), "-ports", ports(t, s.info))
	if busy.status != 1 || busy.stdout != "" || !strings.HasPrefix(busy.stderr, "Error: ") {
		t.Errorf("second emulator on the same ports: status %d, stdout %q, stderr %q; want 1, nothing, one error",
			busy.status, busy.stdout, busy.stderr)
	}
	s.stop(t, syscall.SIGINT)
	if !strings.Contains(s.stderr.String(), "[INFO]  dwctl.emulator.serve") {
		t.Errorf("no log lines at DWCTL_LOG=trace:\n%s", s.stderr)
	}
	for name, secret := range map[string]string{"client secret": s.info.ClientSecret, "token": dvToken} {
		if strings.Contains(s.stderr.String(), secret) {
			t.Errorf("the %s appears on stderr at DWCTL_LOG=trace", name)
		}
	}

	again := serveEmulator(t, "", "-data", data)
	if d := cmp.Diff(s.info.ClientSecret, again.info.ClientSecret); d != "" {
		t.Errorf("identity changed across a restart (-before +after):\n%s", d)
	}
	c = again.client(t)
	status, body = get(t, c, again.info.DataverseURL+"/api/data/v9.2/accounts?$top=2", again.token(t, c, again.info.DataverseURL))
	if status != http.StatusOK || !strings.Contains(string(body), "accountid") {
		t.Errorf("accounts after restart: status %d: %s", status, body)
	}
	again.stop(t, syscall.SIGTERM)
}
