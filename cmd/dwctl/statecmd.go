package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/state"
	"github.com/dwctl/dwctl/view"
)

// stateArgs are the arguments of the state commands and force-unlock.
type stateArgs struct {
	vars        []config.VarArg
	json        bool
	lock        bool
	lockTimeout time.Duration
	force       bool
	noColor     bool
	addrs       []string
}

func stateFlags(name string, a *stateArgs, writes bool) *flag.FlagSet {
	fs := newFlagSet(name)
	addVarFlags(fs, &a.vars)
	if name == "force-unlock" {
		fs.BoolVar(&a.force, "force", false, "Do not ask for confirmation.")
	} else if writes {
		fs.BoolVar(&a.lock, "lock", true, "Hold the state lock while changing the state.")
		fs.DurationVar(&a.lockTimeout, "lock-timeout", 0, "Wait up to `DURATION` for the state lock.")
	} else {
		fs.BoolVar(&a.json, "json", false, "Print JSON.")
	}
	addNoColor(fs, &a.noColor)
	return fs
}

func stateCommands() []*command {
	return []*command{
		{name: "state list", synopsis: "List the objects dwctl manages",
			about: "Prints the address of every object the state records, one per line.",
			flags: func() *flag.FlagSet { return stateFlags("state list", new(stateArgs), false) },
			run:   func(p *process, args []string) int { return runState(p, "state list", args) }},
		{name: "state show", args: "ADDR", synopsis: "Show what the state records of an object",
			about: "Prints the identity, fingerprint and last applied attributes of the object at ADDR,\nor the checkpoint of a data operation (e.g. initial_sync.table_map.customers).",
			flags: func() *flag.FlagSet { return stateFlags("state show", new(stateArgs), false) },
			run:   func(p *process, args []string) int { return runState(p, "state show", args) }},
		{name: "state rm", args: "ADDR...", synopsis: "Stop managing objects without changing them",
			about: "Removes the objects from the state. The environments are not changed: the next\nplan lists the objects as not managed (or, still declared, matches them again).",
			flags: func() *flag.FlagSet { return stateFlags("state rm", new(stateArgs), true) },
			run:   func(p *process, args []string) int { return runState(p, "state rm", args) }},
		{name: "force-unlock", args: "LOCK_ID", synopsis: "Release a state lock another process left",
			about: "Releases the state lock with the given ID, whoever holds it. Use it only when the\nholder is gone: a running apply that loses its lock stops at its next write.",
			flags: func() *flag.FlagSet { return stateFlags("force-unlock", new(stateArgs), true) },
			run:   func(p *process, args []string) int { return runState(p, "force-unlock", args) }},
	}
}

func parseState(name string, args []string) (stateArgs, error) {
	var a stateArgs
	fs := stateFlags(name, &a, name != "state list" && name != "state show")
	if err := parseFlags(fs, args, true); err != nil {
		return a, err
	}
	a.addrs = fs.Args()
	switch {
	case name == "state list" && len(a.addrs) > 0:
		return a, fmt.Errorf("unexpected argument %q", a.addrs[0])
	case (name == "state show" || name == "force-unlock") && len(a.addrs) != 1:
		return a, fmt.Errorf("%s takes exactly one argument", name)
	case name == "state rm" && len(a.addrs) == 0:
		return a, errors.New("state rm needs at least one address")
	}
	for _, addr := range a.addrs {
		if name != "force-unlock" {
			if err := state.ValidateAddress(addr); err != nil {
				return a, err
			}
		}
	}
	return a, nil
}

func runState(p *process, name string, args []string) int {
	a, err := parseState(name, args)
	if err != nil {
		return p.usageError(err)
	}
	ctx := context.Background()
	streams := p.streams(a.noColor)
	cfg, diags := p.loadConfig(a.vars)
	if diags.HasErrors() {
		_ = streams.Diagnostics(view.NewDiagnostics(diags, cfg.Sources))
		return exitError
	}
	b, err := openState(ctx, cfg, p)
	if err != nil {
		return p.fail(err)
	}
	defer b.Close()
	v := view.State{Streams: streams, JSON: a.json}
	switch name {
	case "state list":
		err = stateList(ctx, b, v)
	case "state show":
		err = stateShow(ctx, b, v, a.addrs[0])
	case "state rm":
		err = stateRemove(ctx, b, v, a)
	default:
		err = forceUnlock(ctx, p, b, v, a)
	}
	if err != nil {
		return p.fail(err)
	}
	return exitOK
}

func stateList(ctx context.Context, b state.Backend, v view.State) error {
	st, err := state.GetOrNew(ctx, b)
	if err != nil {
		return err
	}
	return v.List(st.Addresses())
}

func stateShow(ctx context.Context, b state.Backend, v view.State, addr string) error {
	st, err := state.GetOrNew(ctx, b)
	if err != nil {
		return err
	}
	var rec any
	if o, ok := st.Object(addr); ok {
		rec = map[string]any{"address": addr, "object": o}
	} else if c, ok := st.Checkpoint(addr); ok {
		rec = map[string]any{"address": addr, "checkpoint": c}
	} else {
		return fmt.Errorf("the state has no object or checkpoint at %s; dwctl state list shows what it has", addr)
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return v.Show(data)
}

func stateRemove(ctx context.Context, b state.Backend, v view.State, a stateArgs) error {
	if a.lock {
		unlock, err := takeLock(ctx, b, "state rm", a.lockTimeout, v)
		if err != nil {
			return err
		}
		defer unlock()
	}
	st, err := b.Get(ctx)
	if errors.Is(err, state.ErrNoState) {
		return errors.New("there is no state yet: nothing to remove")
	}
	if err != nil {
		return err
	}
	var missing []string
	for _, addr := range a.addrs {
		if _, ok := st.Object(addr); !ok {
			missing = append(missing, addr)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the state has no object at %s; nothing was removed", strings.Join(missing, ", "))
	}
	for _, addr := range a.addrs {
		st.RemoveObject(addr)
	}
	if err := b.Put(ctx, st); err != nil {
		return err
	}
	return v.Removed(a.addrs, st.Serial)
}

func forceUnlock(ctx context.Context, p *process, b state.Backend, v view.State, a stateArgs) error {
	id := a.addrs[0]
	if !a.force {
		holder, err := b.LockHolder(ctx)
		if err != nil {
			return err
		}
		if holder == nil {
			return state.ErrNotLocked
		}
		v.LockHeld(holder.ID, holder.Who, holder.Host, holder.PID, holder.Operation, holder.Created)
		if err := confirmYes(p, "force-unlock needs -force when stdin is not a terminal"); err != nil {
			return err
		}
	}
	if err := b.ForceUnlock(ctx, id); err != nil {
		return err
	}
	return v.Unlocked(id)
}

// confirmYes asks for "yes" on a terminal; without one it fails with
// refusal.
func confirmYes(p *process, refusal string) error {
	f, ok := p.stdin.(*os.File)
	if !ok || !isTerminal(f) {
		return errors.New(refusal)
	}
	p.streams(false).AskYes()
	var answer string
	_, _ = fmt.Fscanln(p.stdin, &answer)
	if strings.TrimSpace(answer) != "yes" {
		return errors.New("cancelled: the answer was not yes")
	}
	return nil
}

// takeLock takes the state lock for operation. When it is held and timeout
// is set it says so once and waits up to timeout.
func takeLock(ctx context.Context, b state.Backend, operation string, timeout time.Duration, v view.State) (func(), error) {
	id, err := b.Lock(ctx, state.LockInfo{Operation: operation})
	var held *state.LockHeldError
	if errors.As(err, &held) && timeout > 0 {
		_ = v.Waiting(held.Error(), timeout.String())
		lctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		id, err = b.Lock(lctx, state.LockInfo{Operation: operation})
	}
	if err != nil {
		return nil, fmt.Errorf("lock the state: %w", err)
	}
	return func() { _ = b.Unlock(context.WithoutCancel(ctx), id) }, nil
}
