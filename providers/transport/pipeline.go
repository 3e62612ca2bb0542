package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-retryablehttp"
)

// Options configures a Pipeline.
type Options struct {
	// BaseURL is the service's base URL (https://org.crm.dynamics.com/api/data/v9.2/); every request
	// must stay on its scheme and host.
	BaseURL string
	// Credential supplies bearer tokens. Required.
	Credential azcore.TokenCredential
	// Scopes are the token scopes; default "{scheme}://{host}/.default" of BaseURL.
	Scopes []string
	// CAFile, when set, is the only CA trusted for TLS (the emulator's).
	CAFile string
	// HTTPClient, when set, is used instead of one built from CAFile.
	HTTPClient *http.Client
	// Logger receives request logs; nil discards them.
	Logger hclog.Logger
	// Retry bounds retries.
	Retry RetryOptions
	// Limits bound each try: a deadline for the whole answer and a size limit on its body.
	Limits Limits
}

// Pipeline sends authenticated requests to one service with retries and logs.
type Pipeline struct {
	base *url.URL
	pl   runtime.Pipeline
}

// Request is one HTTP request to the service.
type Request struct {
	Method string
	// URL is absolute (a nextLink) or relative to the base URL.
	URL    string
	Header http.Header
	Body   []byte
	// Repeatable marks a POST or PATCH as safe to send again after a 5xx or a dropped connection
	// (an upsert, a batch of reads). GET, HEAD, PUT and DELETE are always repeatable.
	Repeatable bool
}

// Response is a complete answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// ErrOutcomeUnknown wraps a transport failure of a request that was not repeated because repeating it is
// not safe: the service may or may not have applied it.
var ErrOutcomeUnknown = errors.New("the request may or may not have been applied; it was not repeated because that is not safe")

// New builds a pipeline from o.
func New(o Options) (*Pipeline, error) {
	base, err := CheckURL(o.BaseURL)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	if o.Credential == nil {
		return nil, errors.New("no credential")
	}
	log := o.Logger
	if log == nil {
		log = hclog.NewNullLogger()
	}
	hc := o.HTTPClient
	if hc == nil {
		if hc, err = NewHTTPClient(o.CAFile); err != nil {
			return nil, err
		}
	}
	scopes := o.Scopes
	if len(scopes) == 0 {
		scopes = []string{base.Scheme + "://" + base.Host + "/.default"}
	}
	rc := o.Retry.newRetryClient(bounded(hc, o.Limits), log.Named("retry"))
	bearer := runtime.NewBearerTokenPolicy(o.Credential, scopes, &policy.BearerTokenOptions{
		InsecureAllowCredentialWithHTTP: base.Scheme == "http",
	})
	pl := runtime.NewPipeline("dwctl", productVersion(), runtime.PipelineOptions{}, &policy.ClientOptions{
		Transport:        &http.Client{Transport: &retryablehttp.RoundTripper{Client: rc}},
		Retry:            policy.RetryOptions{MaxRetries: -1},
		PerRetryPolicies: []policy.Policy{bearer, logPolicy{log}, sentPolicy{}},
		Telemetry:        policy.TelemetryOptions{ApplicationID: "dwctl/" + productVersion()},
	})
	return &Pipeline{base: base, pl: pl}, nil
}

// Base returns the base URL (ending in "/").
func (p *Pipeline) Base() *url.URL { u := *p.base; return &u }

// Resolve turns a relative reference into an absolute URL on the base, and checks that an absolute one
// stays on the base's scheme and host, so a token never leaves for another host.
func (p *Pipeline) Resolve(ref string) (*url.URL, error) {
	u, err := p.base.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("invalid URL %q: %w", ref, err)
	}
	if !strings.EqualFold(u.Scheme, p.base.Scheme) || !strings.EqualFold(u.Host, p.base.Host) {
		return nil, fmt.Errorf("refusing to follow %s: it leaves %s://%s", u.Redacted(), p.base.Scheme, p.base.Host)
	}
	return u, nil
}

// Do sends r and returns the final answer after retries, whatever its status. The error is non-nil
// only when no answer was received.
func (p *Pipeline) Do(ctx context.Context, r Request) (*Response, error) {
	u, err := p.Resolve(r.URL)
	if err != nil {
		return nil, err
	}
	again := r.Repeatable || isIdempotent(r.Method)
	sent := new(atomic.Bool)
	ctx = context.WithValue(withRepeatable(ctx, again), sentKey{}, sent)
	req, err := runtime.NewRequest(ctx, r.Method, u.String())
	if err != nil {
		return nil, err
	}
	for k, v := range r.Header {
		req.Raw().Header[k] = v
	}
	if r.Body != nil {
		ct := r.Header.Get("Content-Type")
		if err := req.SetBody(streaming.NopCloser(bytes.NewReader(r.Body)), ct); err != nil {
			return nil, err
		}
	}
	resp, err := p.pl.Do(req)
	if err != nil {
		if !again && ctx.Err() == nil && sent.Load() {
			return nil, fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
		}
		return nil, err
	}
	body, err := runtime.Payload(resp)
	if err != nil {
		return nil, fmt.Errorf("reading response: %w", err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

type sentKey struct{}

// sentPolicy records that a request got past authentication and went to the transport, so that a
// failure before that (no token) is not reported as a request of unknown outcome.
type sentPolicy struct{}

// Do implements policy.Policy.
func (sentPolicy) Do(req *policy.Request) (*http.Response, error) {
	if f, ok := req.Raw().Context().Value(sentKey{}).(*atomic.Bool); ok {
		f.Store(true)
	}
	return req.Next()
}

// version is dwctl's version in the User-Agent of every request.
var version atomic.Value

// SetVersion sets the dwctl version the User-Agent names (the binary calls
// it once at start).
func SetVersion(v string) { version.Store(v) }

func productVersion() string {
	if v, ok := version.Load().(string); ok && v != "" {
		return v
	}
	return "dev"
}
