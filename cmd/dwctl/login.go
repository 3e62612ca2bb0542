package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/dwctl/dwctl/providers/dualwrite"
)

// loginArgs are the arguments of dwctl login.
type loginArgs struct {
	tenant    string
	cachePath string
}

func loginFlags(a *loginArgs) *flag.FlagSet {
	fs := newFlagSet("login")
	fs.StringVar(&a.tenant, "tenant", dualwrite.DefaultTenant, "The Microsoft Entra tenant (id or domain) of the environments.")
	fs.StringVar(&a.cachePath, "cache", "", "The token cache file (default: $"+dualwrite.CacheEnv+", else dwctl/gateway-token.json in the user's config directory).")
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
	acct, err := dualwrite.Login(ctx, dualwrite.LoginOptions{
		TenantID:  a.tenant,
		CachePath: a.cachePath,
		Prompt:    func(msg string) { fmt.Fprintln(p.stderr, msg) },
	})
	if err != nil {
		return p.fail(err)
	}
	fmt.Fprintf(p.stdout, "Signed in to the dual-write gateway as %s (tenant %s).\n", acct.Username, acct.TenantID)
	return exitOK
}
