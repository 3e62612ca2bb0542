package emulator

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// TestAzidentityClientSecret runs the real azidentity client-credentials flow against the authority
// (DisableInstanceDiscovery, a transport trusting only the emulator CA) and uses the tokens.
func TestAzidentityClientSecret(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	cred, err := azidentity.NewClientSecretCredential(env.info.TenantID, env.info.ClientID, env.info.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{
			ClientOptions: azcore.ClientOptions{
				Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: env.info.AuthorityURL + "/"},
				Transport: env.client,
			},
			DisableInstanceDiscovery: true,
		})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		scope, svc, path string
		want             int
	}{
		"dataverse token on dataverse": {env.info.DataverseURL + "/.default", "dv", "/api/data/v9.2/WhoAmI", 200},
		"finops token on finops":       {env.info.FinOpsURL + "/.default", "fo", "/data/LegalEntities", 200},
		"dataverse token on finops":    {env.info.DataverseURL + "/.default", "fo", "/data/LegalEntities", 401},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{tc.scope}})
			if err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			r := env.do(tc.svc, "GET", tc.path, "", "Authorization", "Bearer "+tok.Token)
			if r.status != tc.want {
				t.Errorf("status %d, want %d: %s", r.status, tc.want, r.body)
			}
		})
	}
	bad, _ := azidentity.NewClientSecretCredential(env.info.TenantID, env.info.ClientID, "wrong",
		&azidentity.ClientSecretCredentialOptions{ClientOptions: azcore.ClientOptions{
			Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: env.info.AuthorityURL + "/"}, Transport: env.client},
			DisableInstanceDiscovery: true})
	_, err = bad.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{env.info.DataverseURL + "/.default"}})
	var afe *azidentity.AuthenticationFailedError
	if !errors.As(err, &afe) || afe.RawResponse == nil || afe.RawResponse.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong secret: got %v, want an AuthenticationFailedError with 401", err)
	}
}

// TestAzidentityWorkloadIdentity exchanges a federated token (as a pipeline's OIDC token would be) for
// an access token through azidentity's workload identity credential.
func TestAzidentityWorkloadIdentity(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	fed, err := env.e.TokenFor(FederatedAudience, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(fed), 0o600); err != nil {
		t.Fatal(err)
	}
	cred, err := azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
		ClientOptions: azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: env.info.AuthorityURL + "/"}, Transport: env.client},
		ClientID:      env.info.ClientID, TenantID: env.info.TenantID, TokenFilePath: file, DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{env.info.FinOpsURL + "/.default"}})
	if err != nil {
		t.Fatalf("GetToken: %v", err)
	}
	if r := env.do("fo", "GET", "/data/LegalEntities", "", "Authorization", "Bearer "+tok.Token); r.status != 200 {
		t.Errorf("status %d", r.status)
	}
	other, _ := env.e.TokenFor(env.info.DataverseURL, time.Hour)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {env.info.ClientID}, "scope": {env.info.FinOpsURL + "/.default"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {other}}
	resp, err := env.client.PostForm(env.info.AuthorityURL+"/"+env.info.TenantID+"/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an access token as assertion: %d, want 401", resp.StatusCode)
	}
}

// TestWorkloadTokenSourcesRefuse: the pipeline and GitHub OIDC sources
// want the job's token, the managed identity endpoint its header and a
// known identity and resource.
func TestWorkloadTokenSourcesRefuse(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	info := env.info
	send := func(method, url string, header ...string) int {
		req, _ := http.NewRequest(method, url, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := env.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	res := url.QueryEscape(info.FinOpsURL)
	cases := map[string]struct {
		status int
		got    int
	}{
		"pipelines, right token":     {200, send("POST", info.PipelinesOIDCURL+"?api-version=7.1&serviceConnectionId=x", "Authorization", "Bearer "+info.RunnerToken)},
		"pipelines, wrong token":     {401, send("POST", info.PipelinesOIDCURL+"?api-version=7.1&serviceConnectionId=x", "Authorization", "Bearer nope")},
		"pipelines, no connection":   {400, send("POST", info.PipelinesOIDCURL+"?api-version=7.1", "Authorization", "Bearer "+info.RunnerToken)},
		"github, wrong audience":     {400, send("GET", info.GitHubOIDCURL+"&audience=other", "Authorization", "Bearer "+info.RunnerToken)},
		"github, no token":           {401, send("GET", info.GitHubOIDCURL+"&audience="+url.QueryEscape(FederatedAudience))},
		"identity, right header":     {200, send("GET", info.IdentityEndpoint+"?api-version=2019-08-01&resource="+res, "X-IDENTITY-HEADER", info.IdentityHeader)},
		"identity, wrong header":     {401, send("GET", info.IdentityEndpoint+"?api-version=2019-08-01&resource="+res, "X-IDENTITY-HEADER", "nope")},
		"identity, other client":     {400, send("GET", info.IdentityEndpoint+"?api-version=2019-08-01&client_id=someone&resource="+res, "X-IDENTITY-HEADER", info.IdentityHeader)},
		"identity, unknown resource": {400, send("GET", info.IdentityEndpoint+"?api-version=2019-08-01&resource=https%3A%2F%2Fexample.com", "X-IDENTITY-HEADER", info.IdentityHeader)},
	}
	for name, tc := range cases {
		if tc.got != tc.status {
			t.Errorf("%s: status %d, want %d", name, tc.got, tc.status)
		}
	}
}
