package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/view"
)

// graphArgs are the arguments of dwctl graph.
type graphArgs struct {
	vars        []config.VarArg
	kind        string
	parallelism int
}

func graphFlags(a *graphArgs) *flag.FlagSet {
	fs := newFlagSet("graph")
	addVarFlags(fs, &a.vars)
	fs.StringVar(&a.kind, "type", "plan", "The graph: `plan` (the actions of a plan and their order) or maps (the table maps' depends_on).")
	fs.IntVar(&a.parallelism, "parallelism", 10, "Send at most `N` requests at once to each environment.")
	return fs
}

func graphCommand() *command {
	return &command{
		name:     "graph",
		synopsis: "Print the plan's action graph or the map dependencies as DOT",
		about: `Prints a Graphviz DOT graph on stdout: by default the actions of a plan
and what each waits for (this reads the environments, as plan does); with
-type=maps the table maps and their depends_on, from the configuration alone.

  dwctl graph -type=maps | dot -Tsvg > maps.svg`,
		flags: func() *flag.FlagSet { return graphFlags(new(graphArgs)) },
		run:   runGraph,
	}
}

func parseGraph(args []string) (graphArgs, error) {
	var a graphArgs
	if err := parseFlags(graphFlags(&a), args, false); err != nil {
		return a, err
	}
	if a.kind != "plan" && a.kind != "maps" {
		return a, fmt.Errorf("-type must be plan or maps, not %q", a.kind)
	}
	return a, nil
}

func runGraph(p *process, args []string) int {
	a, err := parseGraph(args)
	if err != nil {
		return p.usageError(err)
	}
	streams := p.streams(false)
	if a.kind == "maps" {
		cfg, diags := p.loadConfig(a.vars)
		if diags.HasErrors() {
			return p.planFailed(streams, &planResult{cfg: cfg, diags: diags}, false)
		}
		if err := view.RenderMapsDOT(streams.Out, cfg); err != nil {
			return p.fail(err)
		}
		return exitOK
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := makePlan(ctx, p, planRequest{vars: a.vars, lock: false, parallelism: a.parallelism, operation: "graph"})
	if err != nil {
		_ = streams.Diagnostics(view.NewDiagnostics(res.diags, res.cfg.Sources))
		return p.fail(err)
	}
	if res.plan == nil || res.diags.HasErrors() {
		return p.planFailed(streams, res, false)
	}
	if err := view.RenderDOT(streams.Out, res.plan); err != nil {
		return p.fail(err)
	}
	return exitOK
}
