package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/hashicorp/go-hclog"
)

// AuthMethod chooses how a credential is obtained.
type AuthMethod string

// The supported methods.
const (
	// AuthDefault is azidentity's default chain: environment, workload identity, managed identity,
	// Azure CLI, Azure Developer CLI.
	AuthDefault AuthMethod = ""
	// AuthClientSecret is an app registration with a client secret.
	AuthClientSecret AuthMethod = "client_secret"
	// AuthWorkloadIdentity is federated credentials from a pipeline (AZURE_FEDERATED_TOKEN_FILE, or
	// TokenFile below).
	AuthWorkloadIdentity AuthMethod = "workload_identity"
	// AuthAzureCLI uses the signed-in Azure CLI account.
	AuthAzureCLI AuthMethod = "azure_cli"
	// AuthClientCertificate is an app registration with a certificate (CertificatePath: PEM or
	// PKCS#12 with the private key).
	AuthClientCertificate AuthMethod = "client_certificate"
	// AuthAzurePipelines is an Azure Pipelines service connection with workload identity
	// federation: the job's OIDC token (SYSTEM_OIDCREQUESTURI, asked with SystemAccessToken)
	// exchanged for an access token.
	AuthAzurePipelines AuthMethod = "azure_pipelines"
	// AuthGitHubActions is GitHub Actions OIDC: the runner's ID token (ACTIONS_ID_TOKEN_REQUEST_URL
	// and _TOKEN, the job needs permissions: id-token: write) as the client assertion.
	AuthGitHubActions AuthMethod = "github_actions"
	// AuthManagedIdentity is the managed identity of the machine: system-assigned, or the
	// user-assigned one with ClientID.
	AuthManagedIdentity AuthMethod = "managed_identity"
)

// GitHubAudience is the audience of the ID token GitHub Actions hands out for Entra workload
// identity federation [D].
const GitHubAudience = "api://AzureADTokenExchange"

// Auth describes a credential. ClientSecret is sensitive and is never logged or printed.
type Auth struct {
	Method       AuthMethod
	TenantID     string
	ClientID     string
	ClientSecret string
	// TokenFile is the federated token file for workload identity (default from the environment).
	TokenFile string
	// CertificatePath is the certificate file of client_certificate (PEM or PKCS#12, with its
	// private key) and CertificatePassword the password of its key, if any (sensitive).
	CertificatePath, CertificatePassword string
	// ServiceConnectionID is the Azure Pipelines service connection of azure_pipelines, and
	// SystemAccessToken the job's access token (sensitive; default SYSTEM_ACCESSTOKEN).
	ServiceConnectionID, SystemAccessToken string
	// AuthorityHost is the Entra authority (default https://login.microsoftonline.com/). For a loopback
	// authority (the emulator) instance discovery is turned off, as MSAL would otherwise ask the
	// internet whether the authority is known.
	AuthorityHost string
	// CAFile, when set, is the only CA trusted when talking to the authority.
	CAFile string
	// Logger receives one line per authority request (never a body); nil discards.
	Logger hclog.Logger
}

// NewCredential builds an azidentity credential from a.
func NewCredential(a Auth) (azcore.TokenCredential, error) {
	opts, disco, err := a.clientOptions()
	if err != nil {
		return nil, err
	}
	switch a.Method {
	case AuthClientSecret:
		if a.TenantID == "" || a.ClientID == "" || a.ClientSecret == "" {
			return nil, errors.New("client secret authentication needs tenant_id, client_id and client_secret")
		}
		return azidentity.NewClientSecretCredential(a.TenantID, a.ClientID, a.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disco})
	case AuthClientCertificate:
		return clientCertificate(a, opts, disco)
	case AuthWorkloadIdentity:
		return azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
			ClientOptions: opts, TenantID: a.TenantID, ClientID: a.ClientID, TokenFilePath: a.TokenFile,
			DisableInstanceDiscovery: disco,
		})
	case AuthAzureCLI:
		return azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: a.TenantID})
	case AuthAzurePipelines:
		return azurePipelines(a, opts, disco)
	case AuthGitHubActions:
		return gitHubActions(a, opts, disco)
	case AuthManagedIdentity:
		mo := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if a.ClientID != "" {
			mo.ID = azidentity.ClientID(a.ClientID)
		}
		cred, err := azidentity.NewManagedIdentityCredential(mo)
		if err != nil {
			return nil, fmt.Errorf("managed identity authentication: %w", err)
		}
		return cred, nil
	case AuthDefault:
		return azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{
			ClientOptions: opts, TenantID: a.TenantID, DisableInstanceDiscovery: disco,
		})
	}
	return nil, errors.New("unknown authentication method " + string(a.Method))
}

// clientOptions returns the azcore options for the authority and whether to skip instance discovery.
func (a Auth) clientOptions() (azcore.ClientOptions, bool, error) {
	var opts azcore.ClientOptions
	disco := false
	if a.AuthorityHost != "" {
		u, err := CheckURL(a.AuthorityHost)
		if err != nil {
			return opts, false, err
		}
		host := u.String()
		if !strings.HasSuffix(host, "/") {
			host += "/"
		}
		opts.Cloud = cloud.Configuration{ActiveDirectoryAuthorityHost: host}
		disco = IsLoopback(u.Hostname())
	}
	hc, err := NewHTTPClient(a.CAFile)
	if err != nil {
		return opts, false, err
	}
	log := a.Logger
	if log == nil {
		log = hclog.NewNullLogger()
	}
	opts.Transport = &http.Client{Transport: loggingTransport{next: hc.Transport, log: log}}
	opts.Retry = policy.RetryOptions{MaxRetries: 2}
	return opts, disco, nil
}

// clientCertificate reads the certificate file and builds the credential; errors name the method and
// what it needs, never the password.
func clientCertificate(a Auth, opts azcore.ClientOptions, disco bool) (azcore.TokenCredential, error) {
	if a.TenantID == "" || a.ClientID == "" || a.CertificatePath == "" {
		return nil, errors.New("client certificate authentication needs tenant_id, client_id and client_certificate_path")
	}
	data, err := os.ReadFile(a.CertificatePath)
	if err != nil {
		return nil, fmt.Errorf("client certificate authentication: reading client_certificate_path: %w", err)
	}
	var pw []byte
	if a.CertificatePassword != "" {
		pw = []byte(a.CertificatePassword)
	}
	certs, key, err := azidentity.ParseCertificates(data, pw)
	if err != nil {
		return nil, fmt.Errorf("client certificate authentication: %s holds no certificate with its private key that dwctl can read "+
			"(PEM or PKCS#12; a password-protected key needs client_certificate_password): %w", a.CertificatePath, err)
	}
	return azidentity.NewClientCertificateCredential(a.TenantID, a.ClientID, certs, key,
		&azidentity.ClientCertificateCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disco})
}

// azurePipelines builds the credential of an Azure Pipelines service connection; errors name what
// the method needs, never the token.
func azurePipelines(a Auth, opts azcore.ClientOptions, disco bool) (azcore.TokenCredential, error) {
	token := a.SystemAccessToken
	if token == "" {
		token = os.Getenv("SYSTEM_ACCESSTOKEN")
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"tenant_id", a.TenantID}, {"client_id", a.ClientID},
		{"service_connection_id", a.ServiceConnectionID}, {"system_access_token (or SYSTEM_ACCESSTOKEN)", token},
		{"SYSTEM_OIDCREQUESTURI (set by Azure Pipelines)", os.Getenv("SYSTEM_OIDCREQUESTURI")}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, errors.New("azure_pipelines authentication needs " + strings.Join(missing, ", ") +
			"; map the job's token into the step: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)")
	}
	return azidentity.NewAzurePipelinesCredential(a.TenantID, a.ClientID, a.ServiceConnectionID, token,
		&azidentity.AzurePipelinesCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disco})
}

// gitHubActions builds a credential whose client assertion is the GitHub Actions runner's ID token
// for GitHubAudience, asked for anew whenever a token is needed.
func gitHubActions(a Auth, opts azcore.ClientOptions, disco bool) (azcore.TokenCredential, error) {
	reqURL, reqToken := os.Getenv("ACTIONS_ID_TOKEN_REQUEST_URL"), os.Getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
	switch {
	case a.TenantID == "" || a.ClientID == "":
		return nil, errors.New("github_actions authentication needs tenant_id and client_id (the app registration with a federated credential for the repository)")
	case reqURL == "" || reqToken == "":
		return nil, errors.New("github_actions authentication needs the runner's ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN: give the job permissions: id-token: write")
	}
	client := opts.Transport
	get := func(ctx context.Context) (string, error) {
		u, err := url.Parse(reqURL)
		if err != nil {
			return "", fmt.Errorf("github_actions authentication: ACTIONS_ID_TOKEN_REQUEST_URL: %w", err)
		}
		q := u.Query()
		q.Set("audience", GitHubAudience)
		u.RawQuery = q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return "", err
		}
		req.Header.Set("Authorization", "Bearer "+reqToken)
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return "", fmt.Errorf("github_actions authentication: asking the runner for its ID token: %w", err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if err != nil {
			return "", fmt.Errorf("github_actions authentication: reading the runner's ID token: %w", err)
		}
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("github_actions authentication: the runner answered %s when asked for its ID token (does the job have permissions: id-token: write?)", resp.Status)
		}
		var v struct {
			Value string `json:"value"`
		}
		if err := json.Unmarshal(body, &v); err != nil || v.Value == "" {
			return "", errors.New("github_actions authentication: the runner's answer holds no ID token")
		}
		return v.Value, nil
	}
	return azidentity.NewClientAssertionCredential(a.TenantID, a.ClientID, get,
		&azidentity.ClientAssertionCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disco})
}
