package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/state"
	"github.com/dwctl/dwctl/view"
)

// showArgs are the arguments of dwctl show.
type showArgs struct {
	file     string
	vars     []config.VarArg
	json     bool
	markdown bool
	noColor  bool
}

func showFlags(a *showArgs) *flag.FlagSet {
	fs := newFlagSet("show")
	addVarFlags(fs, &a.vars)
	fs.BoolVar(&a.json, "json", false, "Print the plan as one JSON document (docs/json-format.md).")
	fs.BoolVar(&a.markdown, "markdown", false, "Print the plan as Markdown for a pull-request comment.")
	addNoColor(fs, &a.noColor)
	return fs
}

func showCommand() *command {
	return &command{
		name:     "show",
		args:     "[FILE]",
		synopsis: "Show a saved plan, or the objects in state",
		about: `With FILE, renders a plan saved by plan -out=FILE as text, Markdown or JSON.
Without, lists the objects dwctl manages according to the state.`,
		flags: func() *flag.FlagSet { return showFlags(new(showArgs)) },
		run:   runShow,
	}
}

func parseShow(args []string) (showArgs, error) {
	var a showArgs
	fs := showFlags(&a)
	if err := parseFlags(fs, args, true); err != nil {
		return a, err
	}
	switch {
	case fs.NArg() > 1:
		return a, fmt.Errorf("unexpected argument %q", fs.Arg(1))
	case a.json && a.markdown:
		return a, fmt.Errorf("-json and -markdown exclude each other")
	}
	a.file = fs.Arg(0)
	return a, nil
}

func runShow(p *process, args []string) int {
	a, err := parseShow(args)
	if err != nil {
		return p.usageError(err)
	}
	streams := p.streams(a.noColor)
	if a.file == "" {
		return p.showState(a)
	}
	f, err := os.Open(a.file)
	if err != nil {
		return p.fail(err)
	}
	defer f.Close()
	s, err := planner.ReadSaved(f)
	if err != nil {
		return p.fail(fmt.Errorf("%s: %w", a.file, err))
	}
	switch {
	case a.json:
		err = view.RenderJSON(streams.Out, s.Plan, nil)
	case a.markdown:
		err = view.WriteMarkdown(streams.Out, s.Plan)
	default:
		err = view.RenderText(streams.Out, s.Plan, view.TextOptions{Color: streams.OutColor})
	}
	if err != nil {
		return p.fail(err)
	}
	return exitOK
}

// showState lists the managed objects of the configured state.
func (p *process) showState(a showArgs) int {
	ctx := context.Background()
	cfg, diags := p.loadConfig(a.vars)
	streams := p.streams(a.noColor)
	if diags.HasErrors() {
		return p.planFailed(streams, &planResult{cfg: cfg, diags: diags}, false)
	}
	b, err := openState(ctx, cfg, p)
	if err != nil {
		return p.fail(err)
	}
	st, err := state.GetOrNew(ctx, b)
	if err != nil {
		return p.fail(err)
	}
	var rows [][2]string
	for _, addr := range st.Addresses() {
		rows = append(rows, [2]string{addr, identityText(st.Objects[addr].Identity)})
	}
	if err := (view.State{Streams: streams}).Objects(st.Lineage, st.Serial, rows); err != nil {
		return p.fail(err)
	}
	return exitOK
}

func identityText(id map[string]string) string {
	var parts []string
	for _, k := range sortedStrings(id) {
		parts = append(parts, fmt.Sprintf("%s=%q", k, id[k]))
	}
	return strings.Join(parts, " ")
}

func sortedStrings(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
