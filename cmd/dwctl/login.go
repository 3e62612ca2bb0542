package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/dualwrite"
	"github.com/dwctl/dwctl/view"
)

// loginArgs are the arguments of dwctl login.
type loginArgs struct {
	tenant    string
	clientID  string
	cachePath string
	gateway   string
}

func loginFlags(a *loginArgs) *flag.FlagSet {
	fs := newFlagSet("login")
	fs.StringVar(&a.tenant, "tenant", dualwrite.DefaultTenant, "The Microsoft Entra tenant (id or domain) of the environments.")
	fs.StringVar(&a.clientID, "client-id", dualwrite.DefaultClientID, "The app registration to sign in with: the Data Integrator portal's public client, "+
		"or your own with \"Allow public client flows\" and the delegated permission to https://IntegratorApp.com.")
	fs.StringVar(&a.cachePath, "cache", "", "The token cache file (default: $"+dualwrite.CacheEnv+", else dwctl/gateway-token.json in the user's config directory).")
	fs.StringVar(&a.gateway, "gateway", "", "The dual-write gateway (link.control.gateway) to prove the session against with GET Version after signing in.")
	return fs
}

func loginCommand() *command {
	return &command{
		name:     "login",
		synopsis: "Sign in to the dual-write control plane",
		about: "Signs you in with a device code for the dual-write management gateway, which\n" +
			"accepts only delegated user tokens, and keeps the session in a token cache\n" +
			"file (mode 0600) that plan and apply use. Microsoft does not support this\n" +
			"gateway for automation; see docs/control-plane.md. Pipelines point\n" +
			dualwrite.CacheEnv + " at a cache made by dwctl login.",
		flags: func() *flag.FlagSet { return loginFlags(new(loginArgs)) },
		run:   runLogin,
	}
}

func runLogin(p *process, args []string) int {
	var a loginArgs
	if err := parseFlags(loginFlags(&a), args, false); err != nil {
		return p.usageError(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	v := view.Login{Streams: p.streams(false)}
	o := dualwrite.LoginOptions{
		TenantID:  a.tenant,
		ClientID:  a.clientID,
		CachePath: a.cachePath,
		Prompt:    v.Prompt,
	}
	acct, err := dualwrite.Login(ctx, o)
	if err != nil {
		return p.fail(err)
	}
	_ = v.SignedIn(acct.Username, acct.TenantID)
	if a.gateway == "" {
		return exitOK
	}
	gw, err := probeGateway(ctx, o, a.gateway)
	if err != nil {
		return p.fail(fmt.Errorf("the session works, but the gateway %s refused it: %w", a.gateway, err))
	}
	_ = v.GatewayAnswers(a.gateway, gw.Version)
	return exitOK
}

// probeGateway proves a session against a gateway with its cheapest call.
func probeGateway(ctx context.Context, o dualwrite.LoginOptions, gateway string) (providers.Gateway, error) {
	cred, err := dualwrite.UserCredential(o)
	if err != nil {
		return providers.Gateway{}, err
	}
	// The F&O environment only names the link; the probe does not read it.
	c, err := dualwrite.New(dualwrite.Options{Gateway: gateway, FinOpsEnvironment: "probe.invalid", Credential: cred})
	if err != nil {
		return providers.Gateway{}, err
	}
	return c.Probe(ctx)
}
