package dualwrite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/hashicorp/go-hclog"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/transport"
)

// Resource is the gateway's token resource and Scope the scope asked for [O].
const (
	Resource = "https://IntegratorApp.com"
	Scope    = Resource + "/.default"
)

// ManagementPath is the prefix of the gateway's management calls; other calls live under /api/ [O].
const ManagementPath = "api/DualWriteManagement/1.0/"

// DefaultOrigin is the Origin header the Data Integrator portal sends [O].
const DefaultOrigin = "https://dataintegrator.trafficmanager.net"

// Options configures a Client.
type Options struct {
	// Gateway is the gateway's base URL (link.control.gateway), e.g.
	// https://projectmanagementservice.weu-il107.gateway.prod.island.powerapps.com, or the emulator's
	// control_url.
	Gateway string
	// FinOpsEnvironment is the F&O environment whose link the client manages: its URL or host name.
	// The gateway identifies it by host name.
	FinOpsEnvironment string
	// Credential supplies tokens for Scope (see UserCredential and Login).
	Credential azcore.TokenCredential
	// Environment is the display name used in errors; default the gateway's host.
	Environment string
	// CAFile, when set, is the only CA trusted (the emulator's).
	CAFile string
	// HTTPClient replaces the client built from CAFile.
	HTTPClient *http.Client
	// Logger receives request logs (never a token or a body).
	Logger hclog.Logger
	// Retry bounds retries of 429, 5xx and dropped connections.
	Retry transport.RetryOptions
	// Poll controls how Wait polls asynchronous requests.
	Poll PollOptions
	// Origin is sent as the Origin header; default DefaultOrigin.
	Origin string
}

// Client is the control plane of one F&O environment's dual-write link, through the gateway.
type Client struct {
	p      *transport.Pipeline
	env    string
	finOps string
	origin string
	poll   PollOptions
	sent   atomic.Int64
	// briskPoll is set once the gateway said it is dwctl's emulator (Probe)
	// and the poll intervals are the defaults: its requests finish within
	// a few polls, not the minutes the real service takes.
	briskPoll   atomic.Bool
	defaultPoll bool
}

// polling returns the poll options in force.
func (c *Client) polling() PollOptions {
	p := c.poll
	if c.defaultPoll && c.briskPoll.Load() {
		p.Interval, p.MaxInterval = 50*time.Millisecond, time.Second
	}
	return p
}

var _ providers.ControlPlane = (*Client)(nil)

// New returns a client for the gateway and F&O environment in o.
func New(o Options) (*Client, error) {
	if o.Credential == nil {
		return nil, errors.New("dual-write gateway: no credential")
	}
	host, err := finOpsHost(o.FinOpsEnvironment)
	if err != nil {
		return nil, err
	}
	base, err := transport.CheckURL(o.Gateway)
	if err != nil {
		return nil, fmt.Errorf("dual-write gateway: %w", err)
	}
	root := base.Scheme + "://" + base.Host + "/"
	p, err := transport.New(transport.Options{BaseURL: root, Credential: o.Credential, Scopes: []string{Scope},
		CAFile: o.CAFile, HTTPClient: o.HTTPClient, Logger: o.Logger, Retry: o.Retry})
	if err != nil {
		return nil, fmt.Errorf("dual-write gateway: %w", err)
	}
	c := &Client{p: p, env: o.Environment, finOps: host, origin: o.Origin, poll: o.Poll.withDefaults(),
		defaultPoll: o.Poll.Interval == 0 && o.Poll.MaxInterval == 0}
	if c.env == "" {
		c.env = "dual-write gateway " + base.Host
	}
	if c.origin == "" {
		c.origin = DefaultOrigin
	}
	return c, nil
}

// finOpsHost returns the host name of an F&O environment given as a URL or a host.
func finOpsHost(env string) (string, error) {
	env = strings.TrimSpace(env)
	if env == "" {
		return "", errors.New("dual-write gateway: no F&O environment")
	}
	if strings.Contains(env, "://") {
		u, err := url.Parse(env)
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("dual-write gateway: invalid F&O environment URL %q", env)
		}
		return strings.ToLower(u.Host), nil
	}
	return strings.ToLower(strings.TrimSuffix(env, "/")), nil
}

// Environment returns the display name of the gateway.
func (c *Client) Environment() string { return c.env }

// Requests returns how many requests the client has sent to the gateway (retries not counted).
func (c *Client) Requests() int64 { return c.sent.Load() }

// call is one gateway request: step names it in errors (with the map, when there is one).
type call struct {
	step, target string
	method, path string
	body         any
	// raw is sent as it is (with the JSON content type) instead of body.
	raw        []byte
	repeatable bool
}

// name is the call as errors and ChangedError name it: "GET Entities".
func (k call) name() string {
	p := strings.TrimPrefix(k.path, ManagementPath)
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return k.method + " " + p
}

// do sends k and returns the body of a 2xx answer; anything else is a *providers.Error.
func (c *Client) do(ctx context.Context, k call) ([]byte, error) {
	h := http.Header{"Accept": {"application/json"}, "Origin": {c.origin}}
	body := k.raw
	if k.body != nil {
		var err error
		if body, err = json.Marshal(k.body); err != nil {
			return nil, err
		}
	}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	c.sent.Add(1)
	resp, err := c.p.Do(ctx, transport.Request{Method: k.method, URL: k.path, Header: h, Body: body, Repeatable: k.repeatable})
	if err != nil {
		return nil, &providers.Error{Environment: c.env, Operation: k.step, Table: k.target, Err: err}
	}
	if resp.Status/100 == 2 {
		return resp.Body, nil
	}
	return nil, &providers.Error{Environment: c.env, Operation: k.step, Table: k.target, Status: resp.Status,
		Code: errorCode(resp.Body), Message: errorMessage(resp.Body)}
}

// errorMessage extracts the message of an error answer: {"error":{"message"}}, {"message"} or the
// text itself, shortened.
func errorMessage(body []byte) string {
	var v struct {
		Error *struct {
			Message string `json:"message"`
		} `json:"error"`
		Message  string `json:"message"`
		MessageC string `json:"Message"`
	}
	if json.Unmarshal(body, &v) == nil {
		switch {
		case v.Error != nil && v.Error.Message != "":
			return v.Error.Message
		case v.Message != "":
			return v.Message
		case v.MessageC != "":
			return v.MessageC
		}
	}
	return shorten(strings.TrimSpace(string(bytes.ToValidUTF8(body, []byte("?")))))
}

func errorCode(body []byte) string {
	var v struct {
		Error *struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &v) == nil && v.Error != nil {
		return v.Error.Code
	}
	return ""
}

// PollOptions controls the polling of asynchronous requests. Zero values take the defaults.
type PollOptions struct {
	// Interval is the first wait between polls (default 2 s); each wait doubles up to MaxInterval
	// (default 30 s).
	Interval, MaxInterval time.Duration
	// Timeout bounds a Wait (default 2 hours: initial syncs take long).
	Timeout time.Duration
	// Sleep waits d or until ctx ends (default a timer); tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (o PollOptions) withDefaults() PollOptions {
	if o.Interval <= 0 {
		o.Interval = 2 * time.Second
	}
	if o.MaxInterval < o.Interval {
		o.MaxInterval = max(30*time.Second, o.Interval)
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Hour
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
