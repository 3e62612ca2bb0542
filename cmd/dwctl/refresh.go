package main

import (
	"flag"
	"time"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/view"
)

// refreshArgs are the arguments of dwctl refresh.
type refreshArgs struct {
	vars        []config.VarArg
	lock        bool
	lockTimeout time.Duration
	parallelism int
	noColor     bool
}

func refreshFlags(a *refreshArgs) *flag.FlagSet {
	fs := newFlagSet("refresh")
	addVarFlags(fs, &a.vars)
	fs.BoolVar(&a.lock, "lock", true, "Hold the state lock while refreshing.")
	fs.DurationVar(&a.lockTimeout, "lock-timeout", 0, "Wait up to `DURATION` for the state lock.")
	fs.IntVar(&a.parallelism, "parallelism", 10, "Send at most `N` requests at once to each environment.")
	addNoColor(fs, &a.noColor)
	return fs
}

func refreshCommand() *command {
	return &command{
		name:     "refresh",
		synopsis: "Accept what the environments hold into the state",
		about: `Reads every pair and records the fingerprint of every managed object as it is
now, so changes made outside dwctl stop showing as drift; objects that are gone
are forgotten. Nothing in the environments changes. It is apply -refresh-only
-auto-approve without the plan.`,
		flags: func() *flag.FlagSet { return refreshFlags(new(refreshArgs)) },
		run:   runRefresh,
	}
}

func runRefresh(p *process, args []string) int {
	var a refreshArgs
	if err := parseFlags(refreshFlags(&a), args, false); err != nil {
		return p.usageError(err)
	}
	ctx, drain, stop := interrupts(p.log)
	defer stop()
	streams := p.streams(a.noColor)
	s, diags, err := openSession(ctx, p, sessionRequest{vars: a.vars, lock: a.lock, lockTimeout: a.lockTimeout,
		parallelism: max(a.parallelism, 1), operation: "refresh"})
	if s.backend != nil {
		defer s.close()
	}
	if err != nil || diags.HasErrors() {
		_ = streams.Diagnostics(view.NewDiagnostics(diags, s.cfg.Sources))
		if err != nil {
			return p.fail(err)
		}
		return exitError
	}
	plan, pdiags := planner.Build(s.cfg, s.lives, s.st, planner.Options{RefreshOnly: true})
	if pdiags.HasErrors() {
		_ = streams.Diagnostics(view.NewDiagnostics(pdiags, s.cfg.Sources))
		return exitError
	}
	rep, err := s.applier(p, max(a.parallelism, 1), nil).Apply(ctx, drain, plan, s.st)
	if err != nil {
		return p.fail(err)
	}
	if err := (view.State{Streams: streams}).Refreshed(len(rep.State.Objects), len(plan.Drift), rep.State.Serial); err != nil {
		return p.fail(err)
	}
	return exitOK
}
