package transport_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/providers/transport"
)

// TestCredentialsAgainstTheEmulator signs in with every method dwctl
// offers, each through azidentity against the emulator's authority and
// the token sources it serves (pipelines, GitHub Actions, managed
// identity), and reads F&O with the token; a method missing what it needs
// says which method and what. Not parallel: the methods read the process
// environment the way they do in a pipeline.
func TestCredentialsAgainstTheEmulator(t *testing.T) {
	e, err := emulator.Start(context.Background(), emulator.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	info := e.Info()
	base := transport.Auth{TenantID: info.TenantID, ClientID: info.ClientID, AuthorityHost: info.AuthorityURL, CAFile: info.CAFile}
	fed, err := e.TokenFor(emulator.FederatedAudience, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tokenFile := filepath.Join(t.TempDir(), "federated-token")
	if err := os.WriteFile(tokenFile, []byte(fed), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		auth func(a transport.Auth) transport.Auth
		env  map[string]string
	}{
		"client_secret": {auth: func(a transport.Auth) transport.Auth {
			a.Method, a.ClientSecret = transport.AuthClientSecret, info.ClientSecret
			return a
		}},
		"workload_identity": {auth: func(a transport.Auth) transport.Auth {
			a.Method, a.TokenFile = transport.AuthWorkloadIdentity, tokenFile
			return a
		}},
		"azure_pipelines": {auth: func(a transport.Auth) transport.Auth {
			a.Method, a.ServiceConnectionID = transport.AuthAzurePipelines, "5f1c0000-0000-4000-8000-000000000001"
			return a
		}, env: map[string]string{"SYSTEM_OIDCREQUESTURI": info.PipelinesOIDCURL, "SYSTEM_ACCESSTOKEN": info.RunnerToken}},
		"github_actions": {auth: func(a transport.Auth) transport.Auth {
			a.Method = transport.AuthGitHubActions
			return a
		}, env: map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": info.GitHubOIDCURL, "ACTIONS_ID_TOKEN_REQUEST_TOKEN": info.RunnerToken}},
		"managed_identity system-assigned": {auth: func(a transport.Auth) transport.Auth {
			a.Method, a.ClientID, a.TenantID = transport.AuthManagedIdentity, "", ""
			return a
		}, env: map[string]string{"IDENTITY_ENDPOINT": info.IdentityEndpoint, "IDENTITY_HEADER": info.IdentityHeader}},
		"managed_identity user-assigned": {auth: func(a transport.Auth) transport.Auth {
			a.Method, a.TenantID = transport.AuthManagedIdentity, ""
			return a
		}, env: map[string]string{"IDENTITY_ENDPOINT": info.IdentityEndpoint, "IDENTITY_HEADER": info.IdentityHeader}},
		"default, from the environment": {auth: func(a transport.Auth) transport.Auth {
			a.Method = transport.AuthDefault
			return a
		}, env: map[string]string{"AZURE_TENANT_ID": info.TenantID, "AZURE_CLIENT_ID": info.ClientID, "AZURE_CLIENT_SECRET": info.ClientSecret}},
	}
	if runtime.GOOS != "windows" {
		cases["azure_cli"] = struct {
			auth func(a transport.Auth) transport.Auth
			env  map[string]string
		}{auth: func(a transport.Auth) transport.Auth {
			a.Method = transport.AuthAzureCLI
			return a
		}, env: map[string]string{"PATH": fakeAz(t, e, info.FinOpsURL) + string(os.PathListSeparator) + os.Getenv("PATH")}}
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			cred, err := transport.NewCredential(tc.auth(base))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{info.FinOpsURL + "/.default"}})
			if err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			if status := readFinOps(t, info, tok.Token); status != http.StatusOK {
				t.Errorf("F&O with the token: status %d", status)
			}
		})
	}
}

// TestCredentialErrorsNameWhatIsMissing: a method without what it needs
// fails before any request, naming the method and the missing pieces.
func TestCredentialErrorsNameWhatIsMissing(t *testing.T) {
	for _, k := range []string{"SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"} {
		t.Setenv(k, "")
	}
	cases := map[string]struct {
		auth transport.Auth
		want []string
	}{
		"azure_pipelines": {transport.Auth{Method: transport.AuthAzurePipelines, TenantID: "t", ClientID: "c"},
			[]string{"azure_pipelines", "service_connection_id", "SYSTEM_ACCESSTOKEN", "SYSTEM_OIDCREQUESTURI"}},
		"github_actions": {transport.Auth{Method: transport.AuthGitHubActions, TenantID: "t", ClientID: "c"},
			[]string{"github_actions", "ACTIONS_ID_TOKEN_REQUEST_URL", "id-token: write"}},
		"github_actions without ids": {transport.Auth{Method: transport.AuthGitHubActions},
			[]string{"github_actions", "tenant_id and client_id"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := transport.NewCredential(tc.auth)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}

// fakeAz writes an `az` that answers `az account get-access-token` with a
// token of the emulator for resource, as the Azure CLI would for a
// signed-in account, and fails for any other resource.
func fakeAz(t *testing.T, e *emulator.Emulator, resource string) string {
	t.Helper()
	tok, err := e.TokenFor(resource, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	exp := time.Now().Add(time.Hour)
	script := fmt.Sprintf(`#!/bin/sh
case "$*" in
  *"account get-access-token"*"--resource %s"*)
    echo '{"accessToken":"%s","expiresOn":"%s","expires_on":%d,"tokenType":"Bearer"}' ;;
  *) echo "ERROR: unexpected arguments: $*" >&2; exit 1 ;;
esac
`, resource, tok, exp.Format("2006-01-02 15:04:05.000000"), exp.Unix())
	if err := os.WriteFile(filepath.Join(dir, "az"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readFinOps(t *testing.T, info emulator.Info, token string) int {
	t.Helper()
	hc, err := transport.NewHTTPClient(info.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, info.FinOpsURL+"/data/LegalEntities", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
