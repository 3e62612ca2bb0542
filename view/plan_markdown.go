package view

import (
	"fmt"
	"html"
	"slices"
	"strings"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/planner"
)

// MarkdownLimit is the largest Markdown part RenderMarkdown produces: pull
// request comments on GitHub and Azure DevOps hold at most 65,536
// characters.
const MarkdownLimit = 65000

// MarkdownSeparator separates the parts of a Markdown plan when they are
// written to one stream; each part is one comment.
const MarkdownSeparator = "\n<!-- dwctl: next comment -->\n"

// RenderMarkdown returns the plan as Markdown for pull-request comments:
// the summary, a table of actions with destructive ones first and flagged,
// then one collapsible section per object. Each part stays below
// MarkdownLimit characters; sections are never split across parts.
func RenderMarkdown(p *planner.Plan) []string {
	head := markdownHead(p)
	var sections []string
	if len(p.Drift) > 0 {
		sections = append(sections, driftSection(p))
	}
	for _, g := range objectGroups(p) {
		sections = append(sections, objectSection(g))
	}
	if len(p.NotManaged) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n", strings.TrimSuffix(p.NotManagedSummary(), "; -show-unmanaged lists them"))
		for _, n := range p.NotManaged {
			fmt.Fprintf(&b, "- `%s` %s\n", n.Kind, mdEscape(planner.IdentityText(n.Identity)))
		}
		b.WriteString("\n</details>\n")
		sections = append(sections, b.String())
	}
	return splitParts(head, sections)
}

func markdownHead(p *planner.Plan) string {
	var b strings.Builder
	s := p.Summarize()
	b.WriteString("### dwctl plan\n\n")
	if p.IsEmpty() {
		b.WriteString("**No changes.** The environments match the configuration.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "**%s**\n\n", s.String())
	if s.Destructive > 0 {
		fmt.Fprintf(&b, "> :warning: **%s** — listed first.", planner.Plural(s.Destructive, "destructive action"))
		if !p.Options.AllowDestroy {
			b.WriteString(" Apply refuses this plan unless it is made with `-allow-destroy`.")
		}
		b.WriteString("\n\n")
	}
	if s.Manual > 0 {
		fmt.Fprintf(&b, "> :raised_hand: **%s to take by hand**: the gateway calls they need are not observed in public, "+
			"so apply stops before them. Each section says what to do.\n\n", planner.Plural(s.Manual, "step"))
	}
	b.WriteString("| | Action | Object | Why | Rows |\n|---|---|---|---|---:|\n")
	for _, a := range destructiveFirst(p.Actions) {
		flag, rows := "", ""
		if a.Destructive {
			flag = ":warning:"
		}
		if a.Manual != nil {
			flag += ":raised_hand:"
		}
		if a.Kind.IsData() {
			rows = planner.Thousands(a.Rows)
		}
		action := fmt.Sprintf("`%s`", a.Kind)
		if string(a.Kind) != a.Kind.Name() {
			action += " " + a.Kind.Name()
		}
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s |\n", flag, action, a.Address, planner.ReasonText(a.Reason), rows)
	}
	b.WriteString(companyTable(p.Actions))
	return b.String()
}

// companyTable shows the initial syncs' rows per company: for a service
// sync what it exports from F&O and from Dataverse and the rows predicted
// to fail; for a dwctl-mode copy what it writes to each side, what it
// leaves unchanged or filtered out, and what would fail. Empty when no
// sync has a per-company breakdown.
func companyTable(as []*planner.Action) string {
	var svc, cp strings.Builder
	for _, a := range as {
		if a.Kind != planner.InitialSync || len(a.Companies) == 0 {
			continue
		}
		for _, c := range sortedKeys(a.Companies) {
			n := a.Companies[c]
			if a.Params.Mode == "dwctl" {
				if cp.Len() == 0 {
					cp.WriteString("\n**Copies by company** (mode `dwctl`)\n\n| Sync | Company | To Dataverse: new | changed | To F&O: new | changed | Unchanged | Filtered out | Failing |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
				}
				fmt.Fprintf(&cp, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n", a.Address, c, planner.Thousands(n["dataverse_create"]), planner.Thousands(n["dataverse_update"]), planner.Thousands(n["finops_create"]), planner.Thousands(n["finops_update"]), planner.Thousands(n["unchanged"]), planner.Thousands(n["filtered"]), planner.Thousands(n["errors"]))
				continue
			}
			if svc.Len() == 0 {
				svc.WriteString("\n**Initial syncs by company**\n\n| Sync | Company | From F&O | From Dataverse | Failing |\n|---|---|---:|---:|---:|\n")
			}
			fmt.Fprintf(&svc, "| `%s` | %s | %s | %s | %s |\n", a.Address, c, planner.Thousands(n["finops"]), planner.Thousands(n["dataverse"]), planner.Thousands(n["errors"]))
		}
	}
	return svc.String() + cp.String()
}

// destructiveFirst orders actions with destructive ones first, keeping
// the plan's order otherwise.
func destructiveFirst(as []*planner.Action) []*planner.Action {
	out := slices.Clone(as)
	slices.SortStableFunc(out, func(a, b *planner.Action) int {
		switch {
		case a.Destructive == b.Destructive:
			return 0
		case a.Destructive:
			return -1
		}
		return 1
	})
	return out
}

// objectGroups groups the actions by object in plan order, the groups
// with a destructive action first.
func objectGroups(p *planner.Plan) [][]*planner.Action {
	idx := map[string]int{}
	var groups [][]*planner.Action
	for _, a := range p.Actions {
		addr := addrs.ObjectOf(a.Address)
		i, ok := idx[addr]
		if !ok {
			i = len(groups)
			idx[addr] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], a)
	}
	slices.SortStableFunc(groups, func(a, b []*planner.Action) int {
		da, db := slices.ContainsFunc(a, isDestructive), slices.ContainsFunc(b, isDestructive)
		switch {
		case da == db:
			return 0
		case da:
			return -1
		}
		return 1
	})
	return groups
}

func isDestructive(a *planner.Action) bool { return a.Destructive }

// objectSection is one collapsible section: the object's steps in the
// summary, their rendering in a diff block.
func objectSection(as []*planner.Action) string {
	var steps []string
	destructive := false
	for _, a := range as {
		step := a.Kind.Name()
		if a.Kind == planner.SaveVersion || a.Kind == planner.SwitchVersion {
			step += " " + a.Params.Version
		}
		if a.Kind.IsData() {
			step += fmt.Sprintf(" (%s rows)", planner.Thousands(a.Rows))
		}
		steps = append(steps, step)
		destructive = destructive || a.Destructive
	}
	flag := ""
	if destructive {
		flag = ":warning: "
	}
	t := &textWriter{}
	for i, a := range as {
		if i > 0 {
			t.printf("\n")
		}
		t.action(a, "")
	}
	what := ""
	if c := changedNames(as); c != "" {
		what = html.EscapeString(c) + "; "
	}
	return fmt.Sprintf("<details><summary>%s<code>%s</code> — %s%s</summary>\n\n```diff\n%s```\n\n</details>\n",
		flag, addrs.ObjectOf(as[0].Address), what, html.EscapeString(strings.Join(steps, " → ")), diffMarks(t.b.String()))
}

func driftSection(p *planner.Plan) string {
	t := &textWriter{}
	t.drift(p)
	return fmt.Sprintf("<details><summary>:mag: %s changed outside of dwctl</summary>\n\n```diff\n%s```\n\n</details>\n", planner.Plural(len(p.Drift), "object"), diffMarks(t.b.String()))
}

// diffMarks moves each line's change symbol to the first column, where a
// diff code block colours it: "+" green, "-" red, "!" (for "~") orange.
func diffMarks(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, " ")
		pad := l[:len(l)-len(trimmed)]
		switch {
		case strings.HasPrefix(trimmed, "-/+ "):
			lines[i] = "!" + pad + trimmed
		case strings.HasPrefix(trimmed, "+ "):
			lines[i] = "+" + pad + trimmed[2:]
		case strings.HasPrefix(trimmed, "- "):
			lines[i] = "-" + pad + trimmed[2:]
		case strings.HasPrefix(trimmed, "~ "):
			lines[i] = "!" + pad + trimmed[2:]
		default:
			lines[i] = " " + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// splitParts packs sections into parts below MarkdownLimit, the head in
// the first; a section too long on its own is cut with a note.
func splitParts(head string, sections []string) []string {
	parts := []string{head}
	for _, s := range sections {
		if len(s) > MarkdownLimit-200 {
			s = s[:MarkdownLimit-400] + "\n```\n\n*(cut: this section is too long for one comment; see the text or JSON plan)*\n\n</details>\n"
		}
		last := &parts[len(parts)-1]
		if len(*last)+len(s)+1 > MarkdownLimit-100 {
			parts = append(parts, fmt.Sprintf("### dwctl plan (continued, part %d)\n\n", len(parts)+1))
			last = &parts[len(parts)-1]
		}
		*last += "\n" + s
	}
	return parts
}

// mdEscape escapes the characters that would change a table cell or inline text.
func mdEscape(s string) string {
	r := strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`)
	return r.Replace(s)
}

// changedNames says in a few words what changes in an object, for a
// reviewer: "filter.dataverse, field CREDITLIMIT changes".
func changedNames(as []*planner.Action) string {
	var names []string
	var walk func(prefix string, cs []planner.Change)
	walk = func(prefix string, cs []planner.Change) {
		for _, c := range cs {
			name := strings.ReplaceAll(c.Name, `"`, "")
			if prefix != "" {
				name = prefix + "." + name
			}
			if len(c.Nested) > 0 && !strings.HasPrefix(c.Name, "field ") {
				walk(name, c.Nested)
				continue
			}
			names = append(names, name)
		}
	}
	for _, a := range as {
		if len(a.Changes) > 0 {
			walk("", a.Changes)
			break
		}
	}
	switch {
	case len(names) == 0:
		return ""
	case len(names) == 1:
		return names[0] + " changes"
	case len(names) > 3:
		return fmt.Sprintf("%s and %d more change", strings.Join(names[:3], ", "), len(names)-3)
	}
	return strings.Join(names, ", ") + " change"
}
