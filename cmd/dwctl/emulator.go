package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/emulator/faults"
	"github.com/dwctl/dwctl/view"
)

// emulatorServeArgs are the arguments of dwctl emulator serve.
type emulatorServeArgs struct {
	data      string
	host      string
	finops    string
	dataverse string
	rows      int
	latency   time.Duration
	faults    string
	ports     string
	noColor   bool
	// dataversePort, finopsPort and authorityPort come from -ports.
	dataversePort, finopsPort, authorityPort int
}

func emulatorServeFlags(a *emulatorServeArgs) *flag.FlagSet {
	fs := newFlagSet("emulator serve")
	fs.StringVar(&a.data, "data", "", "Keep the emulator's database, CA and identity in `DIR` (required); restarts keep everything.")
	fs.StringVar(&a.host, "host", "127.0.0.1", "Listen on the `ADDRESS`.")
	fs.StringVar(&a.finops, "finops", "empty", "Seed F&O at first start with the `DATA` set: empty (a new environment: the DAT company and currencies), demo (DAT, USMF, DEMF and GBSI with customers, vendors, groups, currencies and contacts) or existing (an environment in use: six companies, twice the rows, number sequences well advanced).")
	fs.StringVar(&a.dataverse, "dataverse", "empty", "Seed Dataverse at first start with the `DATA` set: empty (a new environment with its base currency), or existing (company-less accounts and contacts, as in a CRM that predates dual-write).")
	fs.IntVar(&a.rows, "rows", 20, "Scale of the seed data: `N` rows per company and table.")
	fs.DurationVar(&a.latency, "latency", 0, "Add the `DURATION` to every data request.")
	fs.StringVar(&a.faults, "faults", "", "Inject faults by the `SPEC`, like 503:0.1,429:0.05,drop:0.02,lost:0.01,latency:20ms,seed:7 (lost: the request is carried out, its answer dropped).")
	fs.StringVar(&a.ports, "ports", "", "Listen on the ports `DV,FO,AUTH` (Dataverse, F&O, authority); 0 or absent picks a free port.")
	addNoColor(fs, &a.noColor)
	return fs
}

func emulatorServeCommand() *command {
	return &command{
		name:     "emulator serve",
		synopsis: "Serve the emulator of one F&O and Dataverse pair until interrupted",
		about: `Starts the emulator of one dual-write pair: the Dataverse Web API, F&O OData
and an Entra-style token authority, each on its own loopback TLS listener with
a certificate from the emulator's own CA. When ready it prints exactly one JSON
line on stdout with dataverse_url, finops_url, authority_url, control_url,
tenant_id, client_id, client_secret, ca_file and client_certificate_file, and
the token sources of the secretless sign-in methods (pipelines_oidc_url,
github_oidc_url, runner_token, identity_endpoint, identity_header; see
docs/pipelines.md), then serves until SIGINT or SIGTERM and stops cleanly.

Tokens come from {authority_url}/{tenant_id}/oauth2/v2.0/token with the client
credentials and the scope {dataverse_url}/.default or {finops_url}/.default.`,
		flags: func() *flag.FlagSet { return emulatorServeFlags(new(emulatorServeArgs)) },
		run:   runEmulatorServe,
	}
}

func parseEmulatorServe(args []string) (emulatorServeArgs, error) {
	var a emulatorServeArgs
	if err := parseFlags(emulatorServeFlags(&a), args, false); err != nil {
		return a, err
	}
	switch {
	case a.data == "":
		return a, fmt.Errorf("-data is required")
	case a.finops != "empty" && a.finops != "demo":
		return a, fmt.Errorf("-finops must be empty or demo, not %q", a.finops)
	case a.dataverse != "empty" && a.dataverse != "existing":
		return a, fmt.Errorf("-dataverse must be empty or existing, not %q", a.dataverse)
	case a.rows < 1:
		return a, fmt.Errorf("-rows must be at least 1, not %d", a.rows)
	case a.latency < 0:
		return a, fmt.Errorf("-latency must not be negative")
	}
	if _, err := faults.Parse(a.faults); err != nil {
		return a, fmt.Errorf("-faults: %w", err)
	}
	var err error
	a.dataversePort, a.finopsPort, a.authorityPort, err = parsePorts(a.ports)
	return a, err
}

// parsePorts parses -ports=DV,FO,AUTH; an empty list means free ports.
func parsePorts(s string) (dv, fo, auth int, err error) {
	if s == "" {
		return 0, 0, 0, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return 0, 0, 0, fmt.Errorf("-ports wants three ports DV,FO,AUTH, not %q", s)
	}
	var ports [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || n > 65535 {
			return 0, 0, 0, fmt.Errorf("-ports: %q is not a port number", p)
		}
		ports[i] = n
	}
	return ports[0], ports[1], ports[2], nil
}

func runEmulatorServe(p *process, args []string) int {
	a, err := parseEmulatorServe(args)
	if err != nil {
		return p.usageError(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e, err := emulator.Start(ctx, emulator.Options{
		DataDir: a.data, Host: a.host,
		DataversePort: a.dataversePort, FinOpsPort: a.finopsPort, AuthorityPort: a.authorityPort,
		FinOps: a.finops, Dataverse: a.dataverse, Rows: a.rows, Latency: a.latency, Faults: a.faults,
		Logger: p.log,
	})
	if err != nil {
		return p.fail(err)
	}
	v := view.Emulator{Streams: p.streams(a.noColor)}
	info := e.Info()
	if err := v.Ready(info, view.EmulatorEndpoints{
		Dataverse: info.DataverseURL, FinOps: info.FinOpsURL, Authority: info.AuthorityURL, Control: info.ControlURL,
	}); err != nil {
		_ = e.Close()
		return p.fail(err)
	}
	<-ctx.Done()
	stop() // a second signal ends the process at once
	_ = v.Stopping()
	if err := e.Close(); err != nil {
		return p.fail(err)
	}
	return exitOK
}
