package emulator

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dwctl/dwctl/emulator/authority"
	"github.com/dwctl/dwctl/emulator/control"
	"github.com/dwctl/dwctl/emulator/copier"
	"github.com/dwctl/dwctl/emulator/dataverse"
	"github.com/dwctl/dwctl/emulator/faults"
	"github.com/dwctl/dwctl/emulator/finops"
	"github.com/dwctl/dwctl/emulator/livesync"
	"github.com/dwctl/dwctl/emulator/protection"
	"github.com/dwctl/dwctl/emulator/seed"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/hashicorp/go-hclog"
)

// Options configure an emulator. Only DataDir is required.
type Options struct {
	DataDir                                  string        // where the database, CA, keys and identity live
	Host                                     string        // listen address; default 127.0.0.1
	DataversePort, FinOpsPort, AuthorityPort int           // 0 = a free port
	FinOps                                   string        // seed data of F&O at first start: "empty" (default) or "demo"
	Dataverse                                string        // seed data of Dataverse at first start: "empty" (default) or "existing"
	Rows                                     int           // scale of the seed data (rows per company and table); default 20
	Latency                                  time.Duration // added to every data request
	Faults                                   string        // fault spec for both data services, see ParseFaults
	Logger                                   hclog.Logger  // may be nil

	// DataverseLimits and FinOpsLimits are the service protection limits; zero values take defaults.
	DataverseLimits, FinOpsLimits protection.Limits
	// FinOpsPageSize is F&O's server-driven page size (default 10,000, the real maximum).
	FinOpsPageSize int
	// TokenLifetime is the lifetime of issued access tokens (default 1 hour).
	TokenLifetime time.Duration
	// KeyIndexDelay is how long a new Dataverse alternate key stays Pending/InProgress before its index
	// is built (default 2 s).
	KeyIndexDelay time.Duration
}

// Info is what clients need to reach a running emulator. The JSON names are a contract with scripts.
type Info struct {
	DataverseURL string `json:"dataverse_url"`
	FinOpsURL    string `json:"finops_url"`
	AuthorityURL string `json:"authority_url"`
	ControlURL   string `json:"control_url"`
	TenantID     string `json:"tenant_id"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	CAFile       string `json:"ca_file"`
	// ClientCertificateFile is the certificate registered on the application, with its private
	// key (PEM), for auth { method = "client_certificate" }.
	ClientCertificateFile string `json:"client_certificate_file"`
	// The token sources of pipelines and managed identities (workload.go), to hand to dwctl
	// through the variables the real ones set: SYSTEM_OIDCREQUESTURI (PipelinesOIDCURL) with
	// SYSTEM_ACCESSTOKEN (RunnerToken); ACTIONS_ID_TOKEN_REQUEST_URL (GitHubOIDCURL) with
	// ACTIONS_ID_TOKEN_REQUEST_TOKEN (RunnerToken); IDENTITY_ENDPOINT and IDENTITY_HEADER.
	PipelinesOIDCURL string `json:"pipelines_oidc_url"`
	GitHubOIDCURL    string `json:"github_oidc_url"`
	RunnerToken      string `json:"runner_token"`
	IdentityEndpoint string `json:"identity_endpoint"`
	IdentityHeader   string `json:"identity_header"`
}

// ControlAudience is the audience of tokens for the dual-write control plane (the gateway's scope
// https://IntegratorApp.com/.default [O]); the authority issues them and Authorize accepts them.
const ControlAudience = authority.ControlAudience

// FederatedAudience is the audience of a federated (workload identity) token the authority accepts
// as a client assertion.
const FederatedAudience = authority.FederatedAudience

// Emulator is a running emulator of one pair: a Dataverse environment, an F&O environment and their
// token authority, each on its own loopback TLS listener.
type Emulator struct {
	opts   Options
	log    hclog.Logger
	tokens *authority.Authority
	id     authority.Identity
	store  *store.Store
	skew   atomic.Int64 // added to the wall clock; tests move time forward with it

	authMux *http.ServeMux
	dv, fo  *service
	auth    *service
	servers []*http.Server
	conns   connTracker // the servers' connections that have not sent a request yet
	info    Info

	bgStop chan struct{}
	bgDone sync.WaitGroup
	once   sync.Once

	dataverse *dataverse.Service // the Dataverse Web API
	finops    *finops.Service    // the F&O OData service
	runtime   *livesync.Runtime  // the live-sync runtime
	control   *control.Plane     // the emulated dual-write control plane
}

// Start opens (or creates) the pair stored in opts.DataDir, seeds it at first start and starts the
// three listeners; the emulator serves when Start returns.
func Start(ctx context.Context, opts Options) (*Emulator, error) {
	if opts.DataDir == "" {
		return nil, errors.New("emulator: a data directory is required")
	}
	opts = opts.withDefaults()
	if _, err := faults.Parse(opts.Faults); err != nil {
		return nil, fmt.Errorf("emulator: faults: %w", err)
	}
	if err := os.MkdirAll(opts.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	e := &Emulator{opts: opts, log: opts.Logger, bgStop: make(chan struct{})}
	if err := e.open(ctx); err != nil {
		if e.store != nil {
			e.store.Close()
		}
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if err := e.listen(); err != nil {
		e.Close()
		return nil, fmt.Errorf("emulator: %w", err)
	}
	e.bgDone.Add(1)
	go e.background()
	e.log.Info("emulator serving", "dataverse", e.info.DataverseURL, "finops", e.info.FinOpsURL, "authority", e.info.AuthorityURL)
	return e, nil
}

func (o Options) withDefaults() Options {
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	if o.Rows <= 0 {
		o.Rows = 20
	}
	if o.FinOpsPageSize <= 0 {
		o.FinOpsPageSize = 10000
	}
	if o.TokenLifetime <= 0 {
		o.TokenLifetime = time.Hour
	}
	if o.KeyIndexDelay == 0 {
		o.KeyIndexDelay = 2 * time.Second
	}
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	o.Logger = o.Logger.Named("emulator")
	return o
}

func (e *Emulator) open(ctx context.Context) error {
	var err error
	dir := e.opts.DataDir
	if e.tokens, err = authority.Open(dir, e.clock, e.opts.TokenLifetime, e.log); err != nil {
		return err
	}
	e.id = e.tokens.Identity()
	if e.store, err = store.Open(filepath.Join(dir, store.DatabaseFileName)); err != nil {
		return err
	}
	e.dataverse = dataverse.New(dataverse.Config{Store: e.store, Identity: e.id, Clock: e.clock, Log: e.log, KeyIndexDelay: e.opts.KeyIndexDelay})
	e.finops = finops.New(e.store, e.clock, e.opts.FinOpsPageSize)
	e.runtime = livesync.New(copier.Sides{Store: e.store, Dataverse: e.dataverse, FinOps: e.finops, Clock: e.clock})
	e.finops.Hooks = finops.Hooks{Written: e.runtime.Written}
	err = seed.Run(ctx, seed.Config{Store: e.store, Dataverse: e.dataverse, FinOps: e.finops, BusinessUnit: e.id.BusinessUnitID,
		FinOpsSeed: e.opts.FinOps, DataverseSeed: e.opts.Dataverse, Rows: e.opts.Rows})
	if err != nil {
		return err
	}
	e.control = control.New(control.Config{Store: e.store, Dataverse: e.dataverse, FinOps: e.finops, Runtime: e.runtime,
		Tokens: e.tokens, Clock: e.clock, Log: e.log, DataDir: e.opts.DataDir})
	e.dataverse.Hooks = dataverse.Hooks{Guard: e.control.CheckRuntime, Before: e.runtime.Before, Written: e.runtime.Written,
		AddToSolution: e.control.AddToSolution}
	return nil
}

// listen opens the three listeners and starts serving.
func (e *Emulator) listen() error {
	tlsConf, err := e.tokens.ServerTLS(e.opts.Host)
	if err != nil {
		return err
	}
	ports := []int{e.opts.DataversePort, e.opts.FinOpsPort, e.opts.AuthorityPort}
	lns := make([]net.Listener, 3)
	for i, p := range ports {
		ln, err := net.Listen("tcp", net.JoinHostPort(e.opts.Host, strconv.Itoa(p)))
		if err != nil {
			for _, l := range lns[:i] {
				l.Close()
			}
			return err
		}
		lns[i] = ln
	}
	urlHost := e.opts.Host
	if ip := net.ParseIP(urlHost); ip != nil && ip.IsUnspecified() {
		urlHost = "127.0.0.1" // listening on every address; clients reach it on loopback
	}
	base := func(ln net.Listener) string {
		return "https://" + net.JoinHostPort(urlHost, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	}
	e.info = Info{
		DataverseURL: base(lns[0]), FinOpsURL: base(lns[1]), AuthorityURL: base(lns[2]), ControlURL: base(lns[2]),
		TenantID: e.id.TenantID, ClientID: e.id.ClientID, ClientSecret: e.id.ClientSecret, CAFile: e.tokens.CAFile(),
		ClientCertificateFile: e.tokens.ClientCertificateFile(),
		PipelinesOIDCURL:      base(lns[2]) + authority.PipelinesOIDCPath, GitHubOIDCURL: base(lns[2]) + authority.GitHubOIDCPath + "?api-version=2.0",
		RunnerToken: e.tokens.RunnerToken(), IdentityEndpoint: base(lns[2]) + authority.IdentityPath, IdentityHeader: e.tokens.IdentityHeader(),
	}
	ep := authority.Endpoints{AuthorityURL: e.info.AuthorityURL, DataverseURL: e.info.DataverseURL, FinOpsURL: e.info.FinOpsURL}
	e.tokens.SetEndpoints(ep)
	e.control.SetEndpoints(ep)
	e.dataverse.SetBaseURL(e.info.DataverseURL)
	e.finops.SetBaseURL(e.info.FinOpsURL)
	e.buildServices()
	for i, h := range []http.Handler{e.dv, e.fo, e.auth} {
		// HTTP/1.1 only: a graceful shutdown of HTTP/2 connections waits for GOAWAY timeouts.
		srv := &http.Server{Handler: h, TLSConfig: tlsConf.Clone(), ReadHeaderTimeout: 30 * time.Second,
			TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){}, ConnState: e.conns.track,
			ErrorLog: e.log.StandardLogger(&hclog.StandardLoggerOptions{ForceLevel: hclog.Debug})}
		e.servers = append(e.servers, srv)
		go func(ln net.Listener) { _ = srv.ServeTLS(ln, "", "") }(lns[i])
	}
	return nil
}

// Info returns the URLs and credentials of the running emulator.
func (e *Emulator) Info() Info { return e.info }

// Store returns the emulator's store, for the parts of the emulator built on top of the data plane.
func (e *Emulator) Store() *store.Store { return e.store }

// HandleAuthority mounts h at pattern (a net/http ServeMux pattern) on the authority listener, next to
// the token endpoints. Handlers check their callers with Authorize.
func (e *Emulator) HandleAuthority(pattern string, h http.Handler) { e.authMux.Handle(pattern, h) }

// Close stops the listeners and background work and closes the database.
func (e *Emulator) Close() error {
	var err error
	e.once.Do(func() {
		close(e.bgStop)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		for _, s := range e.servers {
			wg.Add(1)
			go func() { defer wg.Done(); _ = s.Shutdown(ctx) }()
		}
		// Shutdown waits for requests in flight, but it treats a connection that never sent one as
		// busy for 5 seconds: close those at once, so a command's wall time is its work.
		e.conns.closeNew()
		wg.Wait()
		e.bgDone.Wait()
		if e.store != nil {
			err = e.store.Close()
		}
	})
	return err
}

// background advances the alternate-key lifecycle until the emulator closes.
func (e *Emulator) background() {
	defer e.bgDone.Done()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-e.bgStop:
			return
		case <-tick.C:
			e.dataverse.AdvanceKeys(context.Background())
		}
	}
}

// connTracker knows the connections that were accepted and have not sent a request yet.
type connTracker struct {
	mu    sync.Mutex
	fresh map[net.Conn]bool
	done  bool
}

// track is the servers' ConnState hook.
func (t *connTracker) track(c net.Conn, st http.ConnState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fresh == nil {
		t.fresh = map[net.Conn]bool{}
	}
	switch st {
	case http.StateNew:
		if t.done {
			c.Close()
			return
		}
		t.fresh[c] = true
	default:
		delete(t.fresh, c)
	}
}

// closeNew closes the connections that have not sent a request, and any accepted later.
func (t *connTracker) closeNew() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done = true
	for c := range t.fresh {
		c.Close()
	}
	t.fresh = nil
}

// ControlRefreshPath is the admin endpoint of the database-refresh simulation (see CopyDataTo).
const ControlRefreshPath = control.RefreshPath

// SetControlPolls sets how many Status reads an asynchronous control-plane request stays Waiting
// before the next read carries it out (0: the first read does).
func (e *Emulator) SetControlPolls(n int) { e.control.SetPolls(n) }

// SetInitialSyncLimits sets the documented initial-sync limits the emulator checks: rows per company
// and run (default 500,000) and the number of lookups from which a map cannot be synced from
// Dataverse (default 10). Zero or less keeps a limit unchanged.
func (e *Emulator) SetInitialSyncLimits(rowsPerCompany, lookups int) {
	e.control.SetInitialSyncLimits(rowsPerCompany, lookups)
}

// QueuedChanges returns how many changes the paused map with project id pid has queued, and the
// errors of those catch-up could not replay.
func (e *Emulator) QueuedChanges(ctx context.Context, pid string) (int, []string, error) {
	return e.control.QueuedChanges(ctx, pid)
}

// CopyDataTo simulates a database refresh (copying PROD to a sandbox) into dir; see
// control.Plane.CopyDataTo.
func (e *Emulator) CopyDataTo(ctx context.Context, dir string) error {
	return e.control.CopyDataTo(ctx, dir)
}

// Usage is what the data service svc (store.Dataverse or store.FinOps) was asked since the emulator
// started, with the limits it enforces: a benchmark's use of the service protection budget.
func (e *Emulator) Usage(svc store.Service) (protection.Totals, protection.Limits) {
	s := e.dv
	if svc == store.FinOps {
		s = e.fo
	}
	return s.limits.Totals(), s.limits.Current()
}
