package finops

import (
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/hashicorp/go-hclog"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
	"github.com/dwctl/dwctl/providers/transport"
)

// DataPath is the OData root under the environment URL.
const DataPath = "/data/"

// MaxBatchOperations is the documented ceiling of operations in one F&O $batch.
const MaxBatchOperations = 5000

// companyField is the company column of company-striped entities.
const companyField = "dataAreaId"

// Options configures a Client.
type Options struct {
	// URL is the environment URL, https://env.operations.dynamics.com.
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
	// BatchSize is the number of operations per $batch (default 200).
	BatchSize int
}

// Client talks to one F&O environment. It is safe for concurrent use.
type Client struct {
	c         odata.Client
	origin    string
	batchSize int
}

var _ providers.FinOps = (*Client)(nil)

// New returns a client for the environment in o.
func New(o Options) (*Client, error) {
	oc, _, origin, err := odata.Connect(odata.Endpoint{Service: "finops", URL: o.URL, Path: DataPath,
		Credential: o.Credential, Scopes: o.Scopes, Environment: o.Environment, CAFile: o.CAFile,
		HTTPClient: o.HTTPClient, Logger: o.Logger, Retry: o.Retry})
	if err != nil {
		return nil, err
	}
	size := o.BatchSize
	if size <= 0 {
		size = 200
	}
	return &Client{
		c:         oc,
		origin:    origin,
		batchSize: min(size, MaxBatchOperations),
	}, nil
}

// Environment returns the display name.
func (c *Client) Environment() string { return c.c.Environment }

func call(op, table string, key providers.Key) odata.Call {
	cl := odata.Call{Operation: op, Table: table}
	if len(key) > 0 {
		cl.Key = odata.KeyString(key)
	}
	return cl
}

func (c *Client) fail(cl odata.Call, err error) error {
	return &providers.Error{Environment: c.c.Environment, Operation: cl.Operation, Table: cl.Table, Key: cl.Key, Err: err}
}

// namesCompany reports whether key or row carries a dataAreaId.
func namesCompany(key providers.Key, row providers.Row) bool {
	for _, p := range key {
		if strings.EqualFold(p.Name, companyField) {
			return true
		}
	}
	for k := range row {
		if strings.EqualFold(k, companyField) {
			return true
		}
	}
	return false
}

// crossCompany appends cross-company=true to params when on.
func crossCompany(params []odata.Param, on bool) []odata.Param {
	if on {
		params = append(params, odata.Param{Name: "cross-company", Value: "true"})
	}
	return params
}

// keyPath returns "set(key)" with cross-company=true when the key names a company.
func keyPath(set string, key providers.Key, params []odata.Param) (string, error) {
	pred, err := odata.KeyPredicate(key)
	if err != nil {
		return "", err
	}
	return odata.Path(set+pred, crossCompany(params, namesCompany(key, nil))), nil
}
