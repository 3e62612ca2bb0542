package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/state"
	"github.com/dwctl/dwctl/view"
)

// importArgs are the arguments of dwctl import.
type importArgs struct {
	vars        []config.VarArg
	out         string
	lockTimeout time.Duration
	parallelism int
	noColor     bool
}

func importFlags(a *importArgs) *flag.FlagSet {
	fs := newFlagSet("import")
	addVarFlags(fs, &a.vars)
	fs.StringVar(&a.out, "generate-config-out", "", "Write the configuration of what was found to `FILE` (*.dw.hcl; must not exist).")
	fs.DurationVar(&a.lockTimeout, "lock-timeout", 0, "Wait up to `DURATION` for the state lock.")
	fs.IntVar(&a.parallelism, "parallelism", 10, "Send at most `N` requests at once to each environment.")
	addNoColor(fs, &a.noColor)
	return fs
}

func importCommand() *command {
	return &command{
		name:     "import",
		synopsis: "Adopt what a pair holds: write its configuration and record it in state",
		about: `Reads every pair the configuration links (environments and link blocks are
enough) and writes formatted configuration for each company, integration key
and table map that no configuration declares — maps with their fields,
filters, state, depends_on from the order the service runs them in, and an
initial_sync block where the service shows one ran — then records them in
state as managed. Planning afterwards shows no change for them. A link's
alert settings that its block does not declare are written as comments to
paste into it. Number sequences are not imported: which F&O sequence goes
with which Dataverse autonumber is not something the pair records.

  dwctl import -generate-config-out=imported.dw.hcl`,
		flags: func() *flag.FlagSet { return importFlags(new(importArgs)) },
		run:   runImport,
	}
}

func parseImport(args []string) (importArgs, error) {
	var a importArgs
	if err := parseFlags(importFlags(&a), args, false); err != nil {
		return a, err
	}
	if a.out == "" {
		return a, errors.New("-generate-config-out=FILE is required")
	}
	if _, err := os.Stat(a.out); err == nil {
		return a, fmt.Errorf("%s exists; import writes a new file", a.out)
	}
	return a, nil
}

func runImport(p *process, args []string) int {
	a, err := parseImport(args)
	if err != nil {
		return p.usageError(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	streams := p.streams(a.noColor)
	req := planRequest{vars: a.vars, lock: false, parallelism: a.parallelism, operation: "import", importing: true}
	res, err := makePlan(ctx, p, req)
	if err != nil {
		_ = streams.Diagnostics(view.NewDiagnostics(res.diags, res.cfg.Sources))
		return p.fail(err)
	}
	if res.plan == nil || res.diags.HasErrors() {
		return p.planFailed(streams, res, false)
	}
	src, imported, skipped := planner.Generate(res.plan, addresses(res.cfg))
	alerts := planner.GenerateAlerts(res.cfg, res.lives)
	v := view.Import{Streams: streams}
	for _, s := range skipped {
		v.LeftOut(s)
	}
	if len(imported) == 0 {
		_ = v.Nothing()
		return exitOK
	}
	// The file is written as dwctl fmt writes it, so fmt -check passes.
	if formatted, diags := formatSource(src, a.out); !diags.HasErrors() {
		src = formatted
	}
	src = append(src, alerts...)
	if err := os.WriteFile(a.out, src, 0o644); err != nil {
		return p.fail(err)
	}
	n, err := recordImported(ctx, p, a, imported)
	if err != nil {
		return p.fail(fmt.Errorf("wrote %s but could not record the objects in state: %w", a.out, err))
	}
	_ = v.Imported(n, a.out)
	return exitOK
}

// addresses lists the addresses the configuration declares.
func addresses(cfg *config.Config) map[string]bool {
	out := map[string]bool{}
	for a := range cfg.Companies {
		out[a] = true
	}
	for a := range cfg.IntegrationKeys {
		out[a] = true
	}
	for a := range cfg.TableMaps {
		out[a] = true
	}
	return out
}

// recordImported plans again with the written file and records the
// imported objects in state under the lock, as an apply would.
func recordImported(ctx context.Context, p *process, a importArgs, imported []planner.Imported) (int, error) {
	res, err := makePlan(ctx, p, planRequest{vars: a.vars, parallelism: a.parallelism, operation: "import"})
	if err != nil {
		return 0, err
	}
	if res.diags.HasErrors() {
		return 0, errors.New(res.diags.Error())
	}
	b, err := openState(ctx, res.cfg, p)
	if err != nil {
		return 0, err
	}
	unlock, err := lockState(ctx, b, "import", a.lockTimeout)
	if err != nil {
		return 0, err
	}
	defer unlock()
	st, err := state.GetOrNew(ctx, b)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, im := range imported {
		if o, ok := res.plan.Objects[im.Address]; ok {
			st.SetObject(im.Address, planner.StateObject(o, res.plan.Fingerprints[im.Address]))
			n++
		}
	}
	return n, b.Put(ctx, st)
}
