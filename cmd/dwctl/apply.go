package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/dwctl/dwctl/applier"
	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/view"
)

// applyArgs are the arguments of dwctl apply.
type applyArgs struct {
	vars         []config.VarArg
	planFile     string
	autoApprove  bool
	targets      stringList
	destroy      bool
	refreshOnly  bool
	allowDestroy bool
	lock         bool
	lockTimeout  time.Duration
	parallelism  int
	json         bool
	noColor      bool
}

func applyFlags(a *applyArgs) *flag.FlagSet {
	fs := newFlagSet("apply")
	addVarFlags(fs, &a.vars)
	fs.BoolVar(&a.autoApprove, "auto-approve", false, "Apply without asking for confirmation.")
	fs.Var(&a.targets, "target", "Without a plan file: plan only the object at `ADDR` and what it depends on; repeatable.")
	fs.BoolVar(&a.destroy, "destroy", false, "Without a plan file: delete every object dwctl manages.")
	fs.BoolVar(&a.refreshOnly, "refresh-only", false, "Without a plan file: change nothing, record what the environments hold into state.")
	fs.BoolVar(&a.allowDestroy, "allow-destroy", false, "Without a plan file: let the plan's destructive actions run.")
	fs.BoolVar(&a.lock, "lock", true, "Hold the state lock while applying.")
	fs.DurationVar(&a.lockTimeout, "lock-timeout", 0, "Wait up to `DURATION` for the state lock.")
	fs.IntVar(&a.parallelism, "parallelism", 10, "Run at most `N` actions at once.")
	fs.BoolVar(&a.json, "json", false, "Stream one JSON object per event on stdout; needs -auto-approve or a plan file.")
	addNoColor(fs, &a.noColor)
	return fs
}

func applyCommand() *command {
	return &command{
		name:     "apply",
		args:     "[PLANFILE]",
		synopsis: "Make the environments match the configuration",
		about: `With a plan file written by plan -out, checks that neither the state nor any
object the plan touches changed since (a stale plan is refused, naming what
changed) and runs it. Without one, plans, shows the plan and asks for "yes"
(-auto-approve skips the question; without a terminal it is required).

Takes the state lock, runs the actions as a graph (-parallelism at once),
records every finished action in the state journal and, on a failure, lets
running actions finish and starts nothing that depends on the failed one.
The first Ctrl-C stops starting new work, lets running batches finish and
checkpoints; the second stops at once. Run apply again to resume.

Exit status: 0 success, 1 error or unfinished apply.`,
		flags: func() *flag.FlagSet { return applyFlags(new(applyArgs)) },
		run:   runApply,
	}
}

func parseApply(args []string) (applyArgs, error) {
	var a applyArgs
	fs := applyFlags(&a)
	if err := parseFlags(fs, args, true); err != nil {
		return a, err
	}
	switch {
	case fs.NArg() > 1:
		return a, fmt.Errorf("apply takes at most one plan file, not %d arguments", fs.NArg())
	case a.parallelism < 1:
		return a, fmt.Errorf("-parallelism must be at least 1, not %d", a.parallelism)
	case a.destroy && a.refreshOnly:
		return a, fmt.Errorf("-destroy and -refresh-only exclude each other")
	case a.json && !a.autoApprove && fs.NArg() == 0:
		return a, fmt.Errorf("-json needs -auto-approve or a plan file: there is no one to answer the question")
	}
	a.planFile = fs.Arg(0)
	if a.planFile != "" && (len(a.targets) > 0 || a.destroy || a.refreshOnly || a.allowDestroy) {
		return a, fmt.Errorf("-target, -destroy, -refresh-only and -allow-destroy are options of the plan; a plan file already has them")
	}
	return a, nil
}

func runApply(p *process, args []string) int {
	a, err := parseApply(args)
	if err != nil {
		return p.usageError(err)
	}
	ctx, drain, stop := interrupts(p.log)
	defer stop()
	streams := p.streams(a.noColor)
	var saved *planner.Saved
	vars := a.vars
	if a.planFile != "" {
		if saved, err = readSavedPlan(a.planFile); err != nil {
			return p.fail(err)
		}
		if err := onlySensitiveVars(saved, a.vars); err != nil {
			return p.usageError(err)
		}
		var cleanup func()
		if vars, cleanup, err = savedVars(saved, a.vars); err != nil {
			return p.fail(err)
		}
		defer cleanup()
	}
	s, diags, err := openSession(ctx, p, sessionRequest{vars: vars, lock: a.lock, lockTimeout: a.lockTimeout,
		parallelism: a.parallelism, operation: "apply", previews: saved == nil})
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
	plan, err := applyPlan(p, streams, s, saved, a)
	if err != nil {
		return p.fail(err)
	}
	if plan == nil {
		if a.json { // nothing to do: the stream still opens and closes
			pv := &view.Progress{Streams: streams, JSON: true}
			now := time.Now().UTC()
			_ = pv.Event(view.ApplyEvent{Type: applier.EventApplyStart, Time: now})
			_ = pv.Event(view.ApplyEvent{Type: applier.EventApplyDone, Time: now, Serial: s.st.Serial, Summary: &view.ApplySummary{}})
		}
		return exitOK
	}
	return runApplier(ctx, drain, p, streams, s, plan, a.json, a.parallelism)
}

// applyPlan returns the plan to apply: the saved one once it proved fresh,
// or a new one the user approved. nil means nothing to do.
func applyPlan(p *process, streams view.Streams, s *session, saved *planner.Saved, a applyArgs) (*planner.Plan, error) {
	if saved != nil {
		if err := checkSavedConfig(saved, s.cfg); err != nil {
			return nil, err
		}
		if s.st.Serial == 0 && saved.Serial == 0 && saved.Lineage != "" {
			// Nothing was stored yet, then or now: the plan's new state is it.
			s.st.Lineage = saved.Lineage
		}
		if err := planner.Stale(saved, s.st, s.lives); err != nil {
			return nil, err
		}
		return saved.Plan, applier.CheckDestructive(saved.Plan)
	}
	opts := planner.Options{Destroy: a.destroy, RefreshOnly: a.refreshOnly, AllowDestroy: a.allowDestroy, Targets: a.targets}
	plan, pdiags := planner.Build(s.cfg, s.lives, s.st, opts)
	res := &planResult{cfg: s.cfg, st: s.st, plan: plan, lives: s.lives, diags: append(s.diags, pdiags...)}
	if res.diags.HasErrors() {
		_ = streams.Diagnostics(view.NewDiagnostics(res.diags, s.cfg.Sources))
		return nil, errors.New("the plan has errors; nothing was applied")
	}
	if !a.json {
		if err := showPlan(streams, res, false, false, false); err != nil {
			return nil, err
		}
	}
	if plan.IsEmpty() && !a.refreshOnly {
		return nil, nil
	}
	if err := applier.CheckDestructive(plan); err != nil {
		return nil, err
	}
	if !a.autoApprove {
		if err := confirm(p); err != nil {
			return nil, err
		}
	}
	return plan, nil
}

// runApplier runs the plan with the progress view and reports the outcome.
func runApplier(ctx context.Context, drain <-chan struct{}, p *process, streams view.Streams, s *session, plan *planner.Plan, asJSON bool, parallelism int) int {
	pv := &view.Progress{Streams: streams, JSON: asJSON, Bars: p.errTTY && !asJSON}
	ap := s.applier(p, parallelism, func(e applier.Event) { _ = pv.Event(progressEvent(e)) })
	rep, err := ap.Apply(ctx, drain, plan, s.st)
	if rep == nil {
		return p.fail(err)
	}
	if err == nil {
		return exitOK
	}
	var results []view.ApplyResult
	for _, r := range rep.Results {
		results = append(results, view.ApplyResult{ID: r.ID, Outcome: string(r.Outcome), Error: errorText(r.Err)})
	}
	_ = pv.Report(results)
	if rep.Err != nil {
		return p.fail(rep.Err)
	}
	return exitError
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// progressEvent converts an applier event for the view.
func progressEvent(e applier.Event) view.ApplyEvent {
	out := view.ApplyEvent{Type: e.Type, Time: e.Time, ID: e.ID, Address: e.Address, Kind: e.Kind, Result: string(e.Result),
		Error: e.Error, Rows: e.Rows, Total: e.Total, Message: e.Message, Serial: e.Serial, Elapsed: e.Elapsed}
	if s := e.Summary; s != nil {
		out.Summary = &view.ApplySummary{OK: s.OK, Failed: s.Failed, Canceled: s.Canceled, NotStarted: s.NotStarted,
			Added: s.Added, Changed: s.Changed, Destroyed: s.Destroyed, DataOperations: s.DataOperations, Rows: s.Rows}
	}
	return out
}

// onlySensitiveVars refuses variables on the command line of a saved plan's
// apply other than its sensitive ones, which the plan does not keep: the
// other values are the plan's, and changing them could point the plan at
// other environments. A -var-file may hold the others too — a pipeline
// passes the stage's file to plan and apply alike — as long as they are
// the values the plan was made with.
func onlySensitiveVars(saved *planner.Saved, vars []config.VarArg) error {
	for _, v := range vars {
		name, _, _ := strings.Cut(v.Value, "=")
		switch {
		case v.File:
			if err := sameSavedValues(saved, v.Value); err != nil {
				return err
			}
		case !slices.Contains(saved.Sensitive, strings.TrimSpace(name)):
			return fmt.Errorf("-var %s cannot be used with a plan file: the plan holds its value; only sensitive variables (%s) are given again",
				strings.TrimSpace(name), strings.Join(saved.Sensitive, ", "))
		}
	}
	return nil
}

// sameSavedValues checks a -var-file given with a saved plan: every value
// it sets is of a sensitive variable the plan names, or the value the plan
// was made with.
func sameSavedValues(saved *planner.Saved, path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("-var-file %s: %w", path, err)
	}
	if diags := config.CheckNesting(src, path); diags.HasErrors() {
		return fmt.Errorf("-var-file %s: %s", path, diags.Error())
	}
	file, diags := hclparse.NewParser().ParseHCL(src, path)
	if diags.HasErrors() {
		return fmt.Errorf("-var-file %s: %s", path, diags.Error())
	}
	attrs, diags := file.Body.JustAttributes()
	if diags.HasErrors() {
		return fmt.Errorf("-var-file %s: %s", path, diags.Error())
	}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if slices.Contains(saved.Sensitive, n) {
			continue
		}
		raw, ok := saved.Variables[n]
		if !ok {
			return fmt.Errorf("-var-file %s sets %s, which the plan was made without; a saved plan applies with its own values (sensitive variables it takes again: %s)",
				path, n, listOrNone(saved.Sensitive))
		}
		v, diags := attrs[n].Expr.Value(nil)
		if diags.HasErrors() || !sameJSONValue(raw, v) {
			return fmt.Errorf("-var-file %s sets %s to another value than the plan was made with; a saved plan applies with its own values: plan again, or give only the sensitive variables (%s)",
				path, n, listOrNone(saved.Sensitive))
		}
	}
	return nil
}

// sameJSONValue reports whether v, converted to the type of the saved
// JSON value, is that value.
func sameJSONValue(raw json.RawMessage, v cty.Value) bool {
	ty, err := ctyjson.ImpliedType(raw)
	if err != nil {
		return false
	}
	want, err := ctyjson.Unmarshal(raw, ty)
	if err != nil {
		return false
	}
	got, err := convert.Convert(v, ty)
	if err != nil {
		return false
	}
	return got.Equals(want).True()
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
