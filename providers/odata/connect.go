package odata

import (
	"errors"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/hashicorp/go-hclog"

	"github.com/dwctl/dwctl/providers/transport"
)

// Endpoint describes the OData service of one environment for Connect.
type Endpoint struct {
	// Service names the service in errors and logs ("dataverse", "finops").
	Service string
	// URL is the environment URL; only its scheme and host are used.
	URL string
	// Path is the service's path under the host ("/api/data/v9.2/", "/data/").
	Path        string
	Credential  azcore.TokenCredential
	Scopes      []string
	Environment string
	CAFile      string
	HTTPClient  *http.Client
	Logger      hclog.Logger
	Retry       transport.RetryOptions
}

// Connect checks the environment URL (https, or http to loopback only),
// builds the authenticated pipeline and returns an OData client of the
// service, the pipeline and the environment's origin (scheme://host).
// The client's Environment defaults to the host.
func Connect(e Endpoint) (Client, *transport.Pipeline, string, error) {
	env, err := transport.CheckURL(e.URL)
	if err != nil {
		return Client{}, nil, "", err
	}
	if e.Credential == nil {
		return Client{}, nil, "", errors.New(e.Service + ": no credential")
	}
	origin := env.Scheme + "://" + env.Host
	if e.Environment == "" {
		e.Environment = env.Host
	}
	log := e.Logger
	if log == nil {
		log = hclog.NewNullLogger()
	}
	pl, err := transport.New(transport.Options{
		BaseURL: origin + e.Path, Credential: e.Credential, Scopes: e.Scopes, CAFile: e.CAFile,
		HTTPClient: e.HTTPClient, Logger: log.Named(e.Service), Retry: e.Retry,
	})
	if err != nil {
		return Client{}, nil, "", err
	}
	return Client{Doer: pl, Environment: e.Environment, Header: http.Header{
		"Accept":           {"application/json"},
		"Odata-Maxversion": {"4.0"},
		"Odata-Version":    {"4.0"},
	}}, pl, origin, nil
}
