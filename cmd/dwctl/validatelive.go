package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hashicorp/hcl/v2"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/planner"
)

// liveDiagnostics runs the checks of validate -live: it opens every pair,
// reads what the configuration names and checks it against the services'
// metadata (planner.ValidateLive).
func liveDiagnostics(p *process, cfg *config.Config) (hcl.Diagnostics, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	conns, err := p.openConnections(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer conns.Close()
	lives := map[string]*planner.Live{}
	for name, pair := range conns.Pairs {
		link := cfg.Links[name]
		l, err := live.Read(ctx, cfg, link, pair, live.Options{})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", link.Addr(), err)
		}
		if err := live.ReadMetadata(ctx, cfg, link, pair, l, live.Options{}); err != nil {
			return nil, fmt.Errorf("read %s: %w", link.Addr(), err)
		}
		lives[name] = l
	}
	return planner.ValidateLive(cfg, lives), nil
}
