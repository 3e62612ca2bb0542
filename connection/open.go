package connection

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/hashicorp/go-hclog"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers/dataverse"
	"github.com/dwctl/dwctl/providers/dualwrite"
	"github.com/dwctl/dwctl/providers/finops"
	"github.com/dwctl/dwctl/providers/transport"
)

// EmulatorDir is where the data of url = "emulator://NAME" lives, under
// the configuration's directory.
const EmulatorDir = ".dwctl/emulator"

// Options control Open.
type Options struct {
	// Dir is the configuration's directory (default ".").
	Dir string
	// Logger receives request logs; nil discards.
	Logger hclog.Logger
	// Emulator are the options of emulators started in process; DataDir
	// is set per emulator.
	Emulator emulator.Options
	// SeedCompanies, on an emulator's first start, creates in its F&O the
	// legal entities the configuration names that its seed data lacks, as
	// a real F&O environment has every company before dual-write is set up.
	SeedCompanies bool
}

// Connections are the open providers of a configuration's links.
type Connections struct {
	// Pairs are the providers by link name.
	Pairs     map[string]live.Pair
	emulators map[string]*emulator.Emulator
	// seeding are the links whose emulators started for the first time.
	seeding []*config.Link
}

// Open opens the providers of every link of cfg. Close releases them
// (and stops the emulators it started).
func Open(ctx context.Context, cfg *config.Config, o Options) (*Connections, error) {
	if o.Dir == "" {
		o.Dir = "."
	}
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	c := &Connections{Pairs: map[string]live.Pair{}, emulators: map[string]*emulator.Emulator{}}
	for _, name := range sortedLinks(cfg) {
		l := cfg.Links[name]
		var p live.Pair
		var err error
		if l.FinOps.Emulator != "" || l.Dataverse.Emulator != "" {
			p, err = c.openEmulated(ctx, l, o)
		} else {
			p, err = openReal(l, o)
		}
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("%s: %w", l.Addr(), err)
		}
		c.Pairs[name] = p
	}
	for _, l := range c.seeding {
		if err := seedCompanies(ctx, cfg, l, c.Pairs[l.Name].FinOps); err != nil {
			c.Close()
			return nil, fmt.Errorf("%s: seed the emulator's legal entities: %w", l.Addr(), err)
		}
	}
	c.seeding = nil
	return c, nil
}

// Emulator returns the emulator started for NAME, or nil.
func (c *Connections) Emulator(name string) *emulator.Emulator { return c.emulators[name] }

// Close stops the emulators started by Open.
func (c *Connections) Close() error {
	var errs []error
	for _, e := range c.emulators {
		errs = append(errs, e.Close())
	}
	c.emulators = map[string]*emulator.Emulator{}
	return errors.Join(errs...)
}

// openEmulated starts (once per NAME) the emulator of a pair and opens the
// clients against it with its credentials and CA.
func (c *Connections) openEmulated(ctx context.Context, l *config.Link, o Options) (live.Pair, error) {
	name := l.FinOps.Emulator
	if name == "" || name != l.Dataverse.Emulator {
		return live.Pair{}, errors.New("both environments of an emulated link must name the same emulator://NAME")
	}
	e := c.emulators[name]
	if e == nil {
		eo := o.Emulator
		eo.DataDir = filepath.Join(o.Dir, EmulatorDir, name)
		// The environments' own seed options (emulator://NAME?seed=…&rows=…)
		// win over the process-wide defaults.
		if l.FinOps.EmulatorSeed != "" {
			eo.FinOps = l.FinOps.EmulatorSeed
		}
		if l.Dataverse.EmulatorSeed != "" {
			eo.Dataverse = l.Dataverse.EmulatorSeed
		}
		if n := max(l.FinOps.EmulatorRows, l.Dataverse.EmulatorRows); n > 0 {
			eo.Rows = n
		}
		if eo.Logger == nil {
			eo.Logger = o.Logger.Named("emulator")
		}
		if err := os.MkdirAll(eo.DataDir, 0o700); err != nil {
			return live.Pair{}, err
		}
		first := isEmptyDir(eo.DataDir)
		var err error
		if e, err = emulator.Start(ctx, eo); err != nil {
			return live.Pair{}, fmt.Errorf("start the emulator %q: %w", name, err)
		}
		c.emulators[name] = e
		if first && o.SeedCompanies {
			c.seeding = append(c.seeding, l)
		}
	}
	info := e.Info()
	cred, err := transport.NewCredential(transport.Auth{Method: transport.AuthClientSecret, TenantID: info.TenantID,
		ClientID: info.ClientID, ClientSecret: info.ClientSecret, AuthorityHost: info.AuthorityURL, CAFile: info.CAFile,
		Logger: o.Logger.Named("auth")})
	if err != nil {
		return live.Pair{}, err
	}
	return clients(info.FinOpsURL, info.DataverseURL, info.ControlURL, info.CAFile, creds{cred, cred, cred}, emulatorPoll, o.Logger)
}

// openReal opens the clients of real environments.
func openReal(l *config.Link, o Options) (live.Pair, error) {
	if l.Gateway == "" {
		return live.Pair{}, errors.New("control.gateway is required: the dual-write control plane of a real pair is reached through its gateway")
	}
	foCred, err := credential(l.FinOps, o.Logger)
	if err != nil {
		return live.Pair{}, fmt.Errorf("%s: %w", l.FinOps.Addr(), err)
	}
	dvCred, err := credential(l.Dataverse, o.Logger)
	if err != nil {
		return live.Pair{}, fmt.Errorf("%s: %w", l.Dataverse.Addr(), err)
	}
	gwCred, err := gatewayCredential(l.FinOps)
	if err != nil {
		return live.Pair{}, fmt.Errorf("control plane: %w", err)
	}
	return clients(l.FinOps.URL, l.Dataverse.URL, l.Gateway, "", creds{foCred, dvCred, gwCred}, dualwrite.PollOptions{}, o.Logger)
}

// creds are the credentials of the three services of a pair.
type creds struct{ finops, dataverse, control azcore.TokenCredential }

// emulatorPoll polls the emulated control plane briskly: its requests
// finish within a few polls, not the minutes the real service takes.
var emulatorPoll = dualwrite.PollOptions{Interval: 50 * time.Millisecond, MaxInterval: time.Second}

// clients builds the three clients of a pair.
func clients(foURL, dvURL, gateway, caFile string, c creds, poll dualwrite.PollOptions, log hclog.Logger) (live.Pair, error) {
	fo, err := finops.New(finops.Options{URL: foURL, Credential: c.finops, CAFile: caFile, Logger: log})
	if err != nil {
		return live.Pair{}, err
	}
	dv, err := dataverse.New(dataverse.Options{URL: dvURL, Credential: c.dataverse, CAFile: caFile, Logger: log})
	if err != nil {
		return live.Pair{}, err
	}
	ctl, err := dualwrite.New(dualwrite.Options{Gateway: gateway, FinOpsEnvironment: foURL, Credential: c.control,
		CAFile: caFile, Logger: log.Named("dualwrite"), Poll: poll})
	if err != nil {
		return live.Pair{}, err
	}
	return live.Pair{Control: ctl, FinOps: fo, Dataverse: dv, Endpoints: planner.Endpoints{FinOps: foURL, Dataverse: dvURL}}, nil
}

// credential builds the credential of an environment from its auth block,
// or azidentity's default chain when it has none.
func credential(e *config.Environment, log hclog.Logger) (azcore.TokenCredential, error) {
	return transport.NewCredential(authOf(e, log))
}

func authOf(e *config.Environment, log hclog.Logger) transport.Auth {
	a := transport.Auth{Logger: log.Named("auth")}
	if e.Auth == nil {
		return a
	}
	method := e.Auth.Method
	switch {
	case method == "" && e.Auth.ClientSecret.IsSet():
		method = string(transport.AuthClientSecret)
	case method == "" && e.Auth.CertificatePath.IsSet():
		method = string(transport.AuthClientCertificate)
	}
	if method == "default" {
		method = ""
	}
	a.Method = transport.AuthMethod(method)
	a.TenantID, a.ClientID, a.ClientSecret = e.Auth.TenantID.Reveal(), e.Auth.ClientID.Reveal(), e.Auth.ClientSecret.Reveal()
	a.TokenFile, a.AuthorityHost = e.Auth.FederatedTokenFile.Reveal(), e.Auth.AuthorityHost.Reveal()
	a.CertificatePath, a.CertificatePassword = e.Auth.CertificatePath.Reveal(), e.Auth.CertificatePass.Reveal()
	a.ServiceConnectionID, a.SystemAccessToken = e.Auth.ServiceConnectionID.Reveal(), e.Auth.SystemAccessToken.Reveal()
	return a
}

// gatewayCredential is the person signed in with dwctl login when a
// session exists, otherwise the credential of the environment (see
// dualwrite.CredentialFromEnvironment).
func gatewayCredential(fo *config.Environment) (azcore.TokenCredential, error) {
	if p, err := dualwrite.DefaultCachePath(); err == nil && os.Getenv(dualwrite.CacheEnv) == "" {
		if _, err := os.Stat(p); err == nil {
			return dualwrite.UserCredential(dualwrite.LoginOptions{CachePath: p})
		}
	}
	return dualwrite.CredentialFromEnvironment(authOf(fo, hclog.NewNullLogger()))
}

func sortedLinks(cfg *config.Config) []string {
	out := make([]string, 0, len(cfg.Links))
	for name := range cfg.Links {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
