package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/sync/errgroup"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/connection"
	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/state"
)

// planRequest is what the plan operation needs.
type planRequest struct {
	vars        []config.VarArg
	opts        planner.Options
	lock        bool
	lockTimeout time.Duration
	parallelism int
	operation   string // for the lock: "plan", "graph", ...
	showRows    int    // row differences kept per dwctl-mode initial sync
	importing   bool   // also read what import writes of every map
}

// planResult is what the plan operation produced. cfg is set whenever the
// configuration was read; plan only when planning got that far.
type planResult struct {
	cfg   *config.Config
	st    *state.State
	plan  *planner.Plan
	lives map[string]*planner.Live
	diags hcl.Diagnostics
}

// makePlan loads the configuration, reads the state (under its lock unless
// -lock=false), opens every pair, reads their snapshots and plans.
func makePlan(ctx context.Context, p *process, r planRequest) (*planResult, error) {
	cfg, diags := p.loadConfig(r.vars)
	res := &planResult{cfg: cfg, diags: diags}
	if diags.HasErrors() {
		return res, nil
	}
	backend, err := openState(ctx, cfg, p)
	if err != nil {
		return res, err
	}
	if r.lock {
		unlock, err := lockState(ctx, backend, r.operation, r.lockTimeout)
		if err != nil {
			return res, err
		}
		defer unlock()
	}
	if res.st, err = state.GetOrNew(ctx, backend); err != nil {
		return res, fmt.Errorf("read the state: %w", err)
	}
	conns, err := p.openConnections(ctx, cfg)
	if err != nil {
		return res, err
	}
	defer conns.Close()
	if res.lives, err = readLives(ctx, cfg, conns, res.st, live.Options{Parallelism: r.parallelism, Counts: !r.importing, ShowRows: r.showRows, Import: r.importing}); err != nil {
		return res, err
	}
	plan, pdiags := planner.Build(cfg, res.lives, res.st, r.opts)
	res.plan, res.diags = plan, append(res.diags, pdiags...)
	return res, nil
}

func withResync(o live.Options, resync map[string]bool) live.Options {
	o.Resync = resync
	return o
}

// readLives reads the snapshot of every pair at once; st says which maps'
// initial syncs failed (their sizes are read although they run).
func readLives(ctx context.Context, cfg *config.Config, conns *connection.Connections, st *state.State, opts live.Options) (map[string]*planner.Live, error) {
	resync := map[string]bool{}
	if st != nil {
		for addr, cp := range st.Checkpoints {
			if a, err := addrs.Parse(addr); err == nil && a.Op == addrs.InitialSync && cp.Error != "" {
				resync[a.Object.String()] = true
			}
		}
	}
	out := map[string]*planner.Live{}
	results := make([]*planner.Live, len(cfg.Links))
	names := make([]string, 0, len(cfg.Links))
	for name := range cfg.Links {
		names = append(names, name)
	}
	g, gctx := errgroup.WithContext(ctx)
	for i, name := range names {
		g.Go(func() error {
			l, err := live.Read(gctx, cfg, cfg.Links[name], conns.Pairs[name], withResync(opts, resync))
			if err != nil {
				return fmt.Errorf("read %s: %w", cfg.Links[name].Addr(), err)
			}
			results[i] = l
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, name := range names {
		out[name] = results[i]
	}
	return out, nil
}

// openState opens the configured state backend.
func openState(ctx context.Context, cfg *config.Config, p *process) (state.Backend, error) {
	kind, settings := "local", map[string]string{}
	if cfg.Settings != nil && cfg.Settings.State != nil {
		kind = cfg.Settings.State.Type
		for k, v := range cfg.Settings.State.Settings {
			settings[k] = v
		}
		for k, v := range cfg.Settings.State.Secrets {
			settings[k] = v.Reveal()
		}
	}
	if kind == "local" && settings["path"] == "" {
		if err := os.MkdirAll(filepath.Dir(state.DefaultLocalPath), 0o700); err != nil {
			return nil, err
		}
	}
	b, err := state.Open(ctx, kind, settings, state.WithSecrets(cfg.SensitiveValues()...), state.WithLogger(p.log.Named("state")))
	if err != nil {
		return nil, fmt.Errorf("open the state: %w", err)
	}
	return b, nil
}

// lockState takes the state lock, waiting up to timeout, and returns the
// function that releases it.
func lockState(ctx context.Context, b state.Backend, operation string, timeout time.Duration) (func(), error) {
	lctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		lctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	id, err := b.Lock(lctx, state.LockInfo{Operation: operation})
	if err != nil {
		return nil, fmt.Errorf("lock the state: %w", err)
	}
	return func() { _ = b.Unlock(context.WithoutCancel(ctx), id) }, nil
}
