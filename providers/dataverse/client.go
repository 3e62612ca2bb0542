package dataverse

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/hashicorp/go-hclog"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
	"github.com/dwctl/dwctl/providers/transport"
)

// APIPath is the Web API root under the environment URL.
const APIPath = "/api/data/v9.2/"

// Limits of the service [D].
const (
	// MaxPageSize is the largest odata.maxpagesize Dataverse accepts.
	MaxPageSize = 5000
	// MaxBatchOperations is the largest number of operations in one $batch.
	MaxBatchOperations = 1000
	// countCap is where $count stops counting.
	countCap = 5000
)

// Options configures a Client.
type Options struct {
	// URL is the environment URL, https://org.crm.dynamics.com (a path of /api/data/v9.2/ is accepted).
	URL string
	// Credential supplies tokens for the scope {URL}/.default.
	Credential azcore.TokenCredential
	// Scopes overrides the token scope.
	Scopes []string
	// Environment is the display name used in errors; default the host.
	Environment string
	// CAFile, when set, is the only CA trusted (the emulator's).
	CAFile string
	// HTTPClient replaces the client built from CAFile.
	HTTPClient *http.Client
	// Logger receives request logs (never a token or a body).
	Logger hclog.Logger
	// Retry bounds retries of 429, 5xx and dropped connections.
	Retry transport.RetryOptions
	// PageSize is the odata.maxpagesize sent when a query names none (default and maximum 5000).
	PageSize int
	// BatchSize is the number of operations per $batch (default 200, maximum 1000).
	BatchSize int
}

// Client talks to one Dataverse environment. It is safe for concurrent use.
type Client struct {
	c         odata.Client
	base      *url.URL
	pageSize  int
	batchSize int

	mu      sync.Mutex
	primary map[string]string // entity set name → primary id column
}

var _ providers.Dataverse = (*Client)(nil)

// New returns a client for the environment in o.
func New(o Options) (*Client, error) {
	oc, pl, _, err := odata.Connect(odata.Endpoint{Service: "dataverse", URL: o.URL, Path: APIPath,
		Credential: o.Credential, Scopes: o.Scopes, Environment: o.Environment, CAFile: o.CAFile,
		HTTPClient: o.HTTPClient, Logger: o.Logger, Retry: o.Retry})
	if err != nil {
		return nil, err
	}
	return &Client{
		c:         oc,
		base:      pl.Base(),
		pageSize:  clamp(o.PageSize, MaxPageSize, MaxPageSize),
		batchSize: clamp(o.BatchSize, 200, MaxBatchOperations),
		primary:   map[string]string{},
	}, nil
}

func clamp(v, def, hi int) int {
	if v <= 0 {
		return def
	}
	return min(v, hi)
}

// Environment returns the display name.
func (c *Client) Environment() string { return c.c.Environment }

// forbiddenKeyChars break GET and PATCH by alternate key [D].
const forbiddenKeyChars = `/<>*%&:\?+`

// keyPath returns "set(key)" after refusing key values Dataverse cannot take in a URL.
func keyPath(set string, key providers.Key) (string, error) {
	for _, p := range key {
		if s, ok := p.Value.(string); ok && strings.ContainsAny(s, forbiddenKeyChars) {
			return "", errors.New("key value of " + p.Name + " contains one of " + forbiddenKeyChars +
				", which Dataverse cannot take in a key URL; address the row by its id instead")
		}
	}
	pred, err := odata.KeyPredicate(key)
	if err != nil {
		return "", err
	}
	return set + pred, nil
}

// call names a request for errors.
func call(op, table string, key providers.Key) odata.Call {
	c := odata.Call{Operation: op, Table: table}
	if len(key) > 0 {
		c.Key = odata.KeyString(key)
	}
	return c
}

// fail wraps a local error (bad key, bad answer) the same way as a service error.
func (c *Client) fail(cl odata.Call, err error) error {
	return &providers.Error{Environment: c.c.Environment, Operation: cl.Operation, Table: cl.Table, Key: cl.Key, Err: err}
}
