package transport

import (
	"errors"
	"fmt"
	"net/http"
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
)

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
