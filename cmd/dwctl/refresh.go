package main

import (
	"context"
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

// refreshArgs are the arguments of dwctl refresh.
type refreshArgs struct {
	vars        []config.VarArg
	lockTimeout time.Duration
	parallelism int
	noColor     bool
}

func refreshFlags(a *refreshArgs) *flag.FlagSet {
	fs := newFlagSet("refresh")
	addVarFlags(fs, &a.vars)
	fs.DurationVar(&a.lockTimeout, "lock-timeout", 0, "Wait up to `DURATION` for the state lock.")
	fs.IntVar(&a.parallelism, "parallelism", 10, "Send at most `N` requests at once to each environment.")
	addNoColor(fs, &a.noColor)
	return fs
}

func refreshCommand() *command {
	return &command{
		name:     "refresh",
		synopsis: "Accept changes made outside dwctl into state",
		about: `Reads every pair, shows the managed objects that changed outside dwctl and
records them in state as they are now, so later plans no longer report the
drift; managed objects that no longer exist are removed from state. It
changes nothing in the environments (plan -refresh-only shows the same).`,
		flags: func() *flag.FlagSet { return refreshFlags(new(refreshArgs)) },
		run:   runRefresh,
	}
}

func runRefresh(p *process, args []string) int {
	var a refreshArgs
	if err := parseFlags(refreshFlags(&a), args, false); err != nil {
		return p.usageError(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	streams := p.streams(a.noColor)
	res, err := makePlan(ctx, p, planRequest{vars: a.vars, parallelism: a.parallelism, operation: "refresh",
		opts: planner.Options{RefreshOnly: true}})
	if err != nil {
		_ = streams.Diagnostics(view.NewDiagnostics(res.diags, res.cfg.Sources))
		return p.fail(err)
	}
	if res.plan == nil || res.diags.HasErrors() {
		return p.planFailed(streams, res, false)
	}
	if len(res.plan.Drift) > 0 {
		if err := showPlan(streams, res, false, false); err != nil {
			return p.fail(err)
		}
	}
	n, gone, err := storeRefreshed(ctx, p, res, a.lockTimeout)
	if err != nil {
		return p.fail(err)
	}
	fmt.Fprintf(streams.Out, "Refreshed %d managed objects (%d changed outside dwctl); %d no longer exist and left state.\n",
		n, len(res.plan.Drift), gone)
	return exitOK
}

// storeRefreshed records the refreshed state under the lock; the state
// must not have moved since it was read.
func storeRefreshed(ctx context.Context, p *process, res *planResult, timeout time.Duration) (int, int, error) {
	b, err := openState(ctx, res.cfg, p)
	if err != nil {
		return 0, 0, err
	}
	unlock, err := lockState(ctx, b, "refresh", timeout)
	if err != nil {
		return 0, 0, err
	}
	defer unlock()
	current, err := state.GetOrNew(ctx, b)
	if err != nil {
		return 0, 0, err
	}
	if len(current.Objects) == 0 {
		return 0, 0, nil // nothing managed (or no state stored yet)
	}
	if current.Lineage != res.st.Lineage || current.Serial != res.st.Serial {
		return 0, 0, fmt.Errorf("the state changed while the pairs were read (serial %d, read %d); run refresh again", current.Serial, res.st.Serial)
	}
	refreshed, gone := planner.Refreshed(current, res.lives)
	return len(refreshed.Objects), len(gone), b.Put(ctx, refreshed)
}
