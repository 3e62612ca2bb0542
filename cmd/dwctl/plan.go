package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/view"
)

// exitChanges is plan -detailed-exitcode's status for a plan with changes.
const exitChanges = 2

// planArgs are the arguments of dwctl plan.
type planArgs struct {
	vars             []config.VarArg
	out              string
	detailedExitcode bool
	targets          stringList
	destroy          bool
	refreshOnly      bool
	allowDestroy     bool
	lock             bool
	lockTimeout      time.Duration
	parallelism      int
	json             bool
	markdown         bool
	showUnmanaged    bool
	showRows         int
	noColor          bool
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func planFlags(a *planArgs) *flag.FlagSet {
	fs := newFlagSet("plan")
	addVarFlags(fs, &a.vars)
	fs.StringVar(&a.out, "out", "", "Write the plan to `FILE` for apply and show (never holds a secret).")
	fs.BoolVar(&a.detailedExitcode, "detailed-exitcode", false, "Exit 0 with no changes, 1 on error, 2 with changes.")
	fs.Var(&a.targets, "target", "Plan only the object at `ADDR` and what it depends on; repeatable.")
	fs.BoolVar(&a.destroy, "destroy", false, "Plan the deletion of every object dwctl manages.")
	fs.BoolVar(&a.refreshOnly, "refresh-only", false, "Plan no change; applying the plan records drift into state.")
	fs.BoolVar(&a.allowDestroy, "allow-destroy", false, "Let apply run the plan's destructive actions (link reset, deleting maps, removing companies).")
	fs.BoolVar(&a.lock, "lock", true, "Hold the state lock while planning.")
	fs.DurationVar(&a.lockTimeout, "lock-timeout", 0, "Wait up to `DURATION` for the state lock.")
	fs.IntVar(&a.parallelism, "parallelism", 10, "Send at most `N` requests at once to each environment.")
	fs.BoolVar(&a.json, "json", false, "Print the plan as one JSON document (docs/json-format.md).")
	fs.BoolVar(&a.markdown, "markdown", false, "Print the plan as Markdown for a pull-request comment.")
	fs.BoolVar(&a.showUnmanaged, "show-unmanaged", false, "List the objects of the pairs that dwctl does not manage one by one, instead of one summary line.")
	fs.IntVar(&a.showRows, "show-rows", 0, "Show the first `N` rows each dwctl-mode initial sync writes, field by field.")
	addNoColor(fs, &a.noColor)
	return fs
}

func planCommand() *command {
	return &command{
		name:     "plan",
		synopsis: "Show what apply would change in the environments",
		about: `Validates the configuration, reads the state and every environment pair,
and shows the actions that would make the pairs match the configuration:
objects to create, change and delete, map transitions and data operations.
Objects changed outside dwctl since the last apply are shown first, field by
field; objects nobody declared are listed and left alone.

Exit status: 0 success, 1 error; with -detailed-exitcode 0 no changes,
1 error, 2 changes.`,
		flags: func() *flag.FlagSet { return planFlags(new(planArgs)) },
		run:   runPlan,
	}
}

func parsePlan(args []string) (planArgs, error) {
	var a planArgs
	if err := parseFlags(planFlags(&a), args, false); err != nil {
		return a, err
	}
	switch {
	case a.json && a.markdown:
		return a, fmt.Errorf("-json and -markdown exclude each other")
	case a.destroy && a.refreshOnly:
		return a, fmt.Errorf("-destroy and -refresh-only exclude each other")
	case a.parallelism < 1:
		return a, fmt.Errorf("-parallelism must be at least 1, not %d", a.parallelism)
	case a.showRows < 0:
		return a, fmt.Errorf("-show-rows must be 0 or more, not %d", a.showRows)
	}
	return a, nil
}

func runPlan(p *process, args []string) int {
	a, err := parsePlan(args)
	if err != nil {
		return p.usageError(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := makePlan(ctx, p, planRequest{vars: a.vars, lock: a.lock, lockTimeout: a.lockTimeout,
		parallelism: a.parallelism, showRows: a.showRows, operation: "plan", opts: planner.Options{Destroy: a.destroy,
			RefreshOnly: a.refreshOnly, AllowDestroy: a.allowDestroy, Targets: a.targets}})
	streams := p.streams(a.noColor)
	if err != nil {
		_ = streams.Diagnostics(view.NewDiagnostics(res.diags, res.cfg.Sources))
		return p.fail(err)
	}
	if res.plan == nil || res.diags.HasErrors() {
		return p.planFailed(streams, res, a.json)
	}
	if a.out != "" {
		if err := writePlan(a.out, res); err != nil {
			return p.fail(err)
		}
	}
	if err := showPlan(streams, res, a.json, a.markdown, a.showUnmanaged); err != nil {
		return p.fail(err)
	}
	if a.out != "" && !a.json && !a.markdown {
		_ = streams.PlanSaved(a.out)
	}
	if a.detailedExitcode && !res.plan.IsEmpty() {
		return exitChanges
	}
	return exitOK
}

// planFailed reports the diagnostics of a plan that cannot be made.
func (p *process) planFailed(streams view.Streams, res *planResult, asJSON bool) int {
	if asJSON && res.plan != nil {
		_ = view.RenderJSON(streams.Out, res.plan, jsonDiagnostics(res))
		return exitError
	}
	_ = streams.Diagnostics(view.NewDiagnostics(res.diags, res.cfg.Sources))
	return exitError
}

// showPlan renders the plan and the warnings that came with it. A value
// that came from a sensitive one (a sensitive variable used in a filter,
// say) is marked where it enters and printed as "(sensitive value)" by the
// renderers; the output is never searched for the secret's text.
func showPlan(streams view.Streams, res *planResult, asJSON, markdown, showUnmanaged bool) error {
	out := streams.Out
	var buf bytes.Buffer
	streams.Out = &buf
	err := renderPlan(streams, res, asJSON, markdown, showUnmanaged)
	if _, werr := io.Copy(out, &buf); err == nil {
		err = werr
	}
	return err
}

func renderPlan(streams view.Streams, res *planResult, asJSON, markdown, showUnmanaged bool) error {
	switch {
	case asJSON:
		return view.RenderJSON(streams.Out, res.plan, jsonDiagnostics(res))
	case markdown:
		return view.WriteMarkdown(streams.Out, res.plan)
	}
	if err := streams.Diagnostics(view.NewDiagnostics(res.diags, res.cfg.Sources)); err != nil {
		return err
	}
	return view.RenderText(streams.Out, res.plan, view.TextOptions{Color: streams.OutColor, ShowUnmanaged: showUnmanaged})
}

func jsonDiagnostics(res *planResult) []view.Diagnostic {
	return view.NewDiagnostics(res.diags, res.cfg.Sources)
}

// writePlan saves the plan to path (mode 0600), refusing to write a secret.
func writePlan(path string, res *planResult) error {
	s, err := planner.NewSaved(res.plan, res.cfg, res.st, versionInfo().Version)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.Write(&buf, res.cfg.SensitiveValues()); err != nil {
		return err
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil && !os.IsExist(err) {
		return fmt.Errorf("write the plan: %w", err)
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("write the plan: %w", err)
	}
	return nil
}
