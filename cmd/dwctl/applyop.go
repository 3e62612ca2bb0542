package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/dwctl/dwctl/applier"
	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/connection"
	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/state"
	"github.com/dwctl/dwctl/view"
)

// interrupts returns a context that the second SIGINT or SIGTERM ends and a
// channel that the first closes, and the function that stops listening.
func interrupts(log interface{ Info(string, ...any) }) (context.Context, <-chan struct{}, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	drain := make(chan struct{})
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		for n := 0; ; n++ {
			select {
			case <-ctx.Done():
				return
			case s := <-sig:
				if n == 0 {
					log.Info("interrupt: finishing running work, starting nothing new", "signal", s.String())
					close(drain)
					continue
				}
				log.Info("second interrupt: stopping at once", "signal", s.String())
				cancel()
				return
			}
		}
	}()
	return ctx, drain, func() { signal.Stop(sig); cancel() }
}

// session is what apply and refresh hold while they run: the
// configuration, the locked state, the open pairs and their snapshots.
type session struct {
	cfg     *config.Config
	backend state.Backend
	st      *state.State
	conns   *connection.Connections
	lives   map[string]*planner.Live
	unlock  func()
	diags   hcl.Diagnostics
}

// sessionRequest says how to open a session.
type sessionRequest struct {
	vars        []config.VarArg
	lock        bool
	lockTimeout time.Duration
	parallelism int
	operation   string
	// previews reads what data operations would do (a new plan needs it;
	// a saved plan has it already).
	previews bool
}

// openSession loads the configuration, opens and locks the state, opens
// every pair and reads its snapshot. Configuration errors come back as
// diagnostics with a nil session.
func openSession(ctx context.Context, p *process, r sessionRequest) (*session, hcl.Diagnostics, error) {
	cfg, diags := p.loadConfig(r.vars)
	if diags.HasErrors() {
		return &session{cfg: cfg}, diags, nil
	}
	s := &session{cfg: cfg, diags: diags, unlock: func() {}}
	var err error
	if s.backend, err = openState(ctx, cfg, p); err != nil {
		return s, diags, err
	}
	if r.lock {
		if s.unlock, err = takeLock(ctx, s.backend, r.operation, r.lockTimeout, view.State{Streams: p.streams(false)}); err != nil {
			s.close()
			return s, diags, err
		}
	}
	if s.st, err = state.GetOrNew(ctx, s.backend); err != nil {
		s.close()
		return s, diags, fmt.Errorf("read the state: %w", err)
	}
	if s.conns, err = p.openConnections(ctx, cfg); err != nil {
		s.close()
		return s, diags, err
	}
	if s.lives, err = readLives(ctx, cfg, s.conns, s.st, live.Options{Parallelism: r.parallelism, Counts: r.previews}); err != nil {
		s.close()
		return s, diags, err
	}
	return s, diags, nil
}

// close releases the lock, the pairs and the backend.
func (s *session) close() {
	if s.conns != nil {
		_ = s.conns.Close()
	}
	if s.unlock != nil {
		s.unlock()
	}
	if s.backend != nil {
		_ = s.backend.Close()
	}
}

// applier returns an applier over the session's pairs.
func (s *session) applier(p *process, parallelism int, events func(applier.Event)) *applier.Applier {
	pairs := map[string]applier.Pair{}
	for name, pr := range s.conns.Pairs {
		pairs[name] = pr
	}
	read := func(ctx context.Context, link string) (*planner.Live, error) {
		l := s.cfg.Links[link]
		if l == nil {
			return nil, fmt.Errorf("no link %q in the configuration", link)
		}
		return live.Read(ctx, s.cfg, l, s.conns.Pairs[link], live.Options{Parallelism: parallelism})
	}
	return applier.New(s.backend, pairs, read, applier.Options{Parallelism: parallelism, Events: events, Logger: p.log})
}

// readSavedPlan reads a plan file written by plan -out.
func readSavedPlan(path string) (*planner.Saved, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read the plan: %w", err)
	}
	defer f.Close()
	s, err := planner.ReadSaved(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// savedVars writes the plan's variable values to a temporary variables
// file read before the command line's own, and returns the arguments and
// the function that removes the file.
func savedVars(s *planner.Saved, vars []config.VarArg) ([]config.VarArg, func(), error) {
	if len(s.Variables) == 0 {
		return vars, func() {}, nil
	}
	var b bytes.Buffer
	for _, name := range sortedNames(s.Variables) {
		fmt.Fprintf(&b, "%s = %s\n", name, s.Variables[name])
	}
	f, err := os.CreateTemp("", "dwctl-plan-*.dwvars")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { _ = os.Remove(f.Name()) }
	if _, err := f.Write(b.Bytes()); err != nil {
		_ = f.Close()
		cleanup()
		return nil, nil, err
	}
	if err := f.Close(); err != nil {
		cleanup()
		return nil, nil, err
	}
	return append([]config.VarArg{{File: true, Value: f.Name()}}, vars...), cleanup, nil
}

func sortedNames(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// checkSavedConfig refuses a saved plan whose configuration files differ
// from the working directory's.
func checkSavedConfig(s *planner.Saved, cfg *config.Config) error {
	secrets := cfg.SensitiveValues()
	now := map[string]string{}
	for name, src := range cfg.Sources {
		if strings.HasSuffix(name, config.ConfigSuffix) {
			text := string(src)
			for _, sv := range secrets {
				if sv != "" {
					text = strings.ReplaceAll(text, sv, "(sensitive)")
				}
			}
			now[filepath.ToSlash(name)] = text
		}
	}
	var changed []string
	for name, text := range s.Config {
		if now[name] != text {
			changed = append(changed, name)
		}
	}
	for name := range now {
		if _, ok := s.Config[name]; !ok {
			changed = append(changed, name)
		}
	}
	if len(changed) > 0 {
		slices.Sort(changed)
		return &planner.StaleError{Reasons: []string{"the configuration changed since the plan was made (" + strings.Join(changed, ", ") + ")"}}
	}
	return nil
}

// confirm asks for "yes" on a terminal; without one it refuses.
func confirm(p *process) error {
	f, ok := p.stdin.(*os.File)
	if ok && isTerminal(f) {
		p.streams(false).AskApply()
	}
	return confirmYes(p, "apply needs confirmation but stdin is not a terminal; review the plan and run apply with -auto-approve, or apply a saved plan")
}
