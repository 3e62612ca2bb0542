package view

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/dwctl/dwctl/planner"
)

// TextOptions control the text rendering.
type TextOptions struct {
	// Color enables ANSI colour; set it only for a terminal.
	Color bool
	// ShowUnmanaged lists the objects not managed one by one instead of
	// one summary line.
	ShowUnmanaged bool
}

// textWriter accumulates the text of a plan.
type textWriter struct {
	b     strings.Builder
	color bool
}

func (t *textWriter) paint(code, s string) string {
	if !t.color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) symbol(k planner.Kind) string {
	switch k {
	case planner.Create:
		return t.paint(ansiGreen, string(k))
	case planner.Delete, planner.Replace, planner.Reset:
		return t.paint(ansiRed, string(k))
	case planner.Update, planner.SaveVersion, planner.SwitchVersion:
		return t.paint(ansiYellow, string(k))
	}
	return t.paint(ansiCyan, string(k))
}

func (t *textWriter) printf(format string, args ...any) { fmt.Fprintf(&t.b, format, args...) }

// RenderText writes the plan as a person reads it in a terminal or a log.
func RenderText(w io.Writer, p *planner.Plan, o TextOptions) error {
	t := &textWriter{color: o.Color}
	t.drift(p)
	t.notManaged(p, o.ShowUnmanaged)
	if p.IsEmpty() {
		if p.Options.RefreshOnly {
			t.printf("%s\n", t.paint(ansiBold, "No changes. Applying this plan records the objects as they are now in state."))
		} else {
			t.printf("%s\n", t.paint(ansiBold, "No changes. The environments match the configuration."))
		}
		_, err := io.WriteString(w, t.b.String())
		return err
	}
	if len(p.Options.Targets) > 0 {
		t.printf("%s the plan is limited to -target=%s and what they depend on; it may not show every change.\n\n",
			t.paint(ansiYellow, "Note:"), strings.Join(p.Options.Targets, ","))
	}
	t.printf("dwctl will perform the following actions:\n\n")
	for _, a := range p.Actions {
		t.action(a, "  ")
		t.printf("\n")
	}
	s := p.Summarize()
	t.printf("%s\n", t.paint(ansiBold, s.String()))
	if s.Destructive > 0 && !p.Options.AllowDestroy {
		t.printf("\n%s %s: apply refuses this plan unless it is made with -allow-destroy.\n",
			t.paint(ansiRed, "Warning:"), planner.Plural(s.Destructive, "destructive action"))
	}
	_, err := io.WriteString(w, t.b.String())
	return err
}

func (t *textWriter) drift(p *planner.Plan) {
	if len(p.Drift) == 0 {
		return
	}
	t.printf("%s\n\ndwctl found these changes since the last apply:\n\n", t.paint(ansiBold, "Objects have changed outside of dwctl"))
	for _, d := range p.Drift {
		if d.Gone {
			t.printf("  # %s has been deleted\n  %s %s\n\n", d.Address, t.symbol(planner.Delete), d.Address)
			continue
		}
		t.printf("  # %s has changed\n  %s %s {\n", d.Address, t.symbol(planner.Update), d.Address)
		t.changes(d.Changes, "      ", d.Unchanged)
		t.printf("    }\n\n")
	}
}

func (t *textWriter) notManaged(p *planner.Plan, all bool) {
	if len(p.NotManaged) == 0 {
		return
	}
	if !all {
		t.printf("%s.\n\n", p.NotManagedSummary())
		return
	}
	t.printf("Not managed by dwctl (left alone; declare or import them to manage them):\n")
	for _, n := range p.NotManaged {
		t.printf("  %s %s\n", n.Kind, planner.IdentityText(n.Identity))
	}
	t.printf("\n")
}

// action writes one action: a comment saying what and why, then its body.
func (t *textWriter) action(a *planner.Action, indent string) {
	t.printf("%s# %s\n", indent, headline(a))
	if a.Destructive {
		t.printf("%s# %s\n", indent, t.paint(ansiRed, "destructive"))
	}
	for _, n := range a.Notes {
		t.printf("%s# %s\n", indent, n)
	}
	if a.Manual != nil {
		t.printf("%s# %s\n", indent, t.paint(ansiYellow, "to do by hand: apply stops here (control { unverified_calls = true } lets dwctl try its unverified call)"))
		for _, step := range a.Manual.Steps {
			t.printf("%s#   - %s\n", indent, step)
		}
	}
	switch {
	case a.Kind == planner.Create:
		t.printf("%s%s %s {\n", indent, t.symbol(a.Kind), a.Address)
		t.whole(a.After.Tree(), planner.Create, indent+"    ")
		t.printf("%s  }\n", indent)
	case a.Kind == planner.Delete || a.Kind == planner.Reset:
		t.printf("%s%s %s", indent, t.symbol(a.Kind), a.Address)
		if a.Before == nil {
			t.printf("\n")
			return
		}
		t.printf(" {\n")
		t.whole(a.Before.Tree(), planner.Delete, indent+"    ")
		t.printf("%s  }\n", indent)
	case len(a.Changes) > 0:
		t.printf("%s%s %s {\n", indent, t.symbol(a.Kind), a.Address)
		t.changes(a.Changes, indent+"    ", hiddenCount(a))
		t.printf("%s  }\n", indent)
	case a.Kind == planner.InitialSync && (a.Params.Mode == "dwctl" || hasOutcomes(a.Companies)):
		t.copyBody(a, indent)
	default:
		t.printf("%s%s %s\n", indent, t.symbol(a.Kind), a.Address)
	}
}

// copyBody writes a dwctl-mode initial sync: its outcomes per company and
// the row differences plan -show-rows asked for.
func (t *textWriter) copyBody(a *planner.Action, indent string) {
	if len(a.Companies) > 1 || (len(a.Companies) == 1 && a.Companies[planner.GlobalCompany] == nil) {
		for _, c := range sortedKeys(a.Companies) {
			t.printf("%s#   %s: %s\n", indent, c, outcomesText(a.Companies[c]))
		}
	}
	if len(a.RowChanges) == 0 {
		t.printf("%s%s %s\n", indent, t.symbol(a.Kind), a.Address)
		return
	}
	t.printf("%s%s %s {\n", indent, t.symbol(a.Kind), a.Address)
	in := indent + "    "
	for _, r := range a.RowChanges {
		k := planner.Create
		if r.Kind == "update" {
			k = planner.Update
		}
		t.printf("%s%s %s [%s] %s {\n", in, t.symbol(k), sideTitle(r.Side), r.Company, r.Key)
		width := 0
		for _, f := range r.Fields {
			width = max(width, len(f.Name))
		}
		for _, f := range r.Fields {
			if k == planner.Create {
				t.printf("%s    %s %-*s = %q\n", in, t.symbol(k), width, f.Name, f.After)
				continue
			}
			t.printf("%s    %s %-*s = %q -> %q\n", in, t.symbol(k), width, f.Name, f.Before, f.After)
		}
		t.printf("%s  }\n", in)
	}
	written := int64(0)
	for _, byOutcome := range a.Companies {
		for _, o := range planner.WrittenOutcomes {
			written += byOutcome[o]
		}
	}
	if more := written - int64(len(a.RowChanges)); more > 0 {
		t.printf("%s  # (%s more %s)\n", in, planner.Thousands(more), planner.RowsWord(more))
	}
	t.printf("%s  }\n", indent)
}

// hasOutcomes reports whether a service initial sync carries the preview
// of what its rows do (new, changed, the same).
func hasOutcomes(c map[string]map[string]int64) bool {
	for _, byOutcome := range c {
		for _, o := range planner.ShownOutcomes {
			if byOutcome[o] > 0 {
				return true
			}
		}
	}
	return false
}

func sideTitle(s string) string {
	if s == "finops" {
		return "F&O"
	}
	return "Dataverse"
}

// whole writes every node with one symbol (a created or destroyed object).
func (t *textWriter) whole(nodes []planner.Node, k planner.Kind, indent string) {
	width := nameWidth(nodes)
	for _, n := range nodes {
		if n.Block {
			t.printf("%s%s %s {\n", indent, t.symbol(k), n.Name)
			t.whole(n.Children, k, indent+"    ")
			t.printf("%s  }\n", indent)
			continue
		}
		t.printf("%s%s %-*s = %s\n", indent, t.symbol(k), width, n.Name, n.Value)
	}
}

// changes writes nested changes and how many attributes were hidden.
func (t *textWriter) changes(cs []planner.Change, indent string, unchanged int) {
	width := 0
	for _, c := range cs {
		if len(c.Nested) == 0 && len(c.Name) > width {
			width = len(c.Name)
		}
	}
	for _, c := range cs {
		switch {
		case len(c.Nested) > 0 || (c.Before == nil && c.After == nil):
			t.printf("%s%s %s {\n", indent, t.symbol(c.Kind), c.Name)
			t.changes(c.Nested, indent+"    ", c.Unchanged)
			t.printf("%s  }\n", indent)
		case c.Kind == planner.Create:
			t.printf("%s%s %-*s = %s\n", indent, t.symbol(c.Kind), width, c.Name, val(c.After))
		case c.Kind == planner.Delete:
			t.printf("%s%s %-*s = %s\n", indent, t.symbol(c.Kind), width, c.Name, val(c.Before))
		default:
			t.printf("%s%s %-*s = %s -> %s\n", indent, t.symbol(c.Kind), width, c.Name, val(c.Before), val(c.After))
		}
	}
	if unchanged > 0 {
		word := "fields"
		if unchanged == 1 {
			word = "field"
		}
		t.printf("%s  # (%d unchanged %s hidden)\n", indent, unchanged, word)
	}
}

func nameWidth(nodes []planner.Node) int {
	w := 0
	for _, n := range nodes {
		if !n.Block && len(n.Name) > w {
			w = len(n.Name)
		}
	}
	return w
}

// headline says in one line what an action does and why.
func headline(a *planner.Action) string {
	why := planner.ReasonText(a.Reason)
	switch a.Kind {
	case planner.Create:
		return fmt.Sprintf("%s will be created (%s)", a.Address, why)
	case planner.Update:
		return fmt.Sprintf("%s will be updated in place", a.Address)
	case planner.Replace:
		return fmt.Sprintf("%s must be replaced (%s)", a.Address, why)
	case planner.Delete:
		return fmt.Sprintf("%s will be destroyed (%s)", a.Address, why)
	case planner.Reset:
		return fmt.Sprintf("%s will be reset (%s)", a.Address, why)
	case planner.SaveVersion:
		return fmt.Sprintf("%s: fields or filters change; version %s is saved under publisher %s and made active", a.Address, a.Params.Version, a.Params.Publisher)
	case planner.SwitchVersion:
		return fmt.Sprintf("%s: the active version switches to the pinned %s", a.Address, a.Params.Version)
	case planner.Start:
		return fmt.Sprintf("%s will start, %s (%s)", a.Address, startMode(a), why)
	case planner.Bootstrap:
		return fmt.Sprintf("%s: %s rows without a company get it (%s)", a.Address, planner.Thousands(a.Rows), countsText(a.Counts))
	case planner.InitialSync:
		if a.Params.Mode == "dwctl" {
			return fmt.Sprintf("%s: initial sync copying %s rows (%s), master %s, mode dwctl", a.Address, planner.Thousands(a.Rows), outcomesText(a.Counts), a.Params.Master)
		}
		return fmt.Sprintf("%s: initial sync of %s rows (%s), master %s, mode %s%s", a.Address, planner.Thousands(a.Rows), countsText(a.Counts), a.Params.Master, modeOr(a.Params.Mode), companiesText(a.Companies))
	}
	return fmt.Sprintf("%s will %s (%s)", a.Address, a.Kind.Name(), why)
}

func startMode(a *planner.Action) string {
	if a.Params.SkipInitialSync {
		return "initial sync skipped"
	}
	return "with the service's initial sync, master " + a.Params.Master
}

func modeOr(m string) string {
	if m == "" {
		return "service"
	}
	return m
}

// outcomesText renders the outcomes of a dwctl-mode copy: "to Dataverse
// 24 new, 3 changed; to F&O 1 new; 12 unchanged; 4 filtered out; 1
// failing", leaving out what is zero.
func outcomesText(c map[string]int64) string {
	if c == nil {
		return "row counts unknown"
	}
	var parts []string
	for _, side := range []struct{ key, name string }{{"dataverse", "Dataverse"}, {"finops", "F&O"}} {
		var p []string
		if n := c[side.key+"_create"]; n > 0 {
			p = append(p, planner.Thousands(n)+" new")
		}
		if n := c[side.key+"_update"]; n > 0 {
			p = append(p, planner.Thousands(n)+" changed")
		}
		if len(p) > 0 {
			parts = append(parts, "to "+side.name+" "+strings.Join(p, ", "))
		}
	}
	for _, o := range []struct{ key, name string }{{"unchanged", "unchanged"}, {"filtered", "filtered out"}, {"errors", "failing"}} {
		if n := c[o.key]; n > 0 {
			parts = append(parts, planner.Thousands(n)+" "+o.name)
		}
	}
	if len(parts) == 0 {
		return "nothing to copy"
	}
	return strings.Join(parts, "; ")
}

// countsText renders counts as "finops 1,200, dataverse 7" in key order.
// companiesText is the per-company breakdown of an initial sync:
// "; USMF 15, USRT 0", empty for a global map or without counts.
func companiesText(c map[string]map[string]int64) string {
	if len(c) == 0 || (len(c) == 1 && c[planner.GlobalCompany] != nil) {
		return ""
	}
	var parts []string
	for _, k := range sortedKeys(c) {
		parts = append(parts, k+" "+planner.Thousands(c[k]["finops"]+c[k]["dataverse"]))
	}
	return "; " + strings.Join(parts, ", ")
}

func countsText(c map[string]int64) string {
	if len(c) == 0 {
		return "row counts unknown"
	}
	var parts []string
	for _, k := range sortedKeys(c) {
		parts = append(parts, k+" "+planner.Thousands(c[k]))
	}
	return strings.Join(parts, ", ")
}

// val returns the text of an optional value ("null" when absent).
func val(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

// hiddenCount is the number of top-level attributes of an action's object
// that did not change: those on both sides without a change.
func hiddenCount(a *planner.Action) int {
	before := map[string]bool{}
	for _, n := range a.Before.Tree() {
		before[n.Name] = true
	}
	n := 0
	for _, x := range a.After.Tree() {
		if before[x.Name] {
			n++
		}
	}
	for _, c := range a.Changes {
		if c.Kind == planner.Update && before[c.Name] {
			n--
		}
	}
	return max(n, 0)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
