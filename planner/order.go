package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/graph"
	"github.com/hashicorp/hcl/v2"
)

// rank orders object kinds: link → companies → integration keys → maps.
var rank = map[string]int{"link": 0, "company": 1, "integration_key": 2, "table_map": 3}

// group is the actions of one object (with its data operations) in the
// order they were planned.
type group struct {
	addr, kind, link string
	actions          []*Action
	removal          bool
	index            int // in plan order
}

func (g *group) last() *Action { return g.actions[len(g.actions)-1] }

// finish wires dependencies, applies -target and prevent_destroy and
// orders the actions.
func (b *builder) finish() {
	groups, order := b.groups()
	ranked := rankedGroups(groups, order)
	for _, addr := range order {
		g := groups[addr]
		for i := 1; i < len(g.actions); i++ {
			depend(g.actions[i], g.actions[i-1])
		}
		for _, other := range ranked.candidates(g) {
			b.connect(g, other)
		}
	}
	b.connectMapDependencies(groups)
	b.connectPrerequisites(groups)
	b.connectBootstraps()
	b.markManual()
	b.preventDestroy()
	if len(b.opts.Targets) > 0 {
		b.target()
	}
	b.sort()
}

func (b *builder) groups() (map[string]*group, []string) {
	groups := map[string]*group{}
	var order []string
	for _, a := range b.plan.Actions {
		addr := addrs.ObjectOf(a.Address)
		g := groups[addr]
		if g == nil {
			g = &group{addr: addr, kind: kindOf(addr), link: b.linkOf(addr)}
			groups[addr] = g
			order = append(order, addr)
		}
		g.actions = append(g.actions, a)
		if a.Kind == Delete || a.Kind == Reset {
			g.removal = true
		}
	}
	return groups, order
}

// byRank holds a link's groups by rank, each list in plan order, and the
// removals among them apart.
type byRank struct {
	all, removals [][]*group
}

// ranked are the groups connect orders, by link.
type ranked map[string]*byRank

func rankedGroups(groups map[string]*group, order []string) ranked {
	out := ranked{}
	levels := 0
	for _, r := range rank {
		levels = max(levels, r+1)
	}
	for i, addr := range order {
		g := groups[addr]
		g.index = i
		r, ok := rank[g.kind]
		if !ok {
			continue
		}
		br := out[g.link]
		if br == nil {
			br = &byRank{all: make([][]*group, levels), removals: make([][]*group, levels)}
			out[g.link] = br
		}
		br.all[r] = append(br.all[r], g)
		if g.removal {
			br.removals[r] = append(br.removals[r], g)
		}
	}
	return out
}

// candidates are the groups connect may make g wait for, in plan order:
// for a creation or change, everything of lower rank and the removals of
// its own; for a removal, everything of higher rank. Other pairs never
// connect, so a plan of thousands of maps does not compare every map with
// every other.
func (rk ranked) candidates(g *group) []*group {
	rg, ok := rank[g.kind]
	br := rk[g.link]
	if !ok || br == nil {
		return nil
	}
	var out []*group
	for r := range br.all {
		switch {
		case !g.removal && r < rg, g.removal && r > rg:
			out = append(out, br.all[r]...)
		case !g.removal && r == rg:
			out = append(out, br.removals[r]...)
		}
	}
	slices.SortFunc(out, func(x, y *group) int { return x.index - y.index })
	return out
}

// linkOf returns the link an address belongs to.
func (b *builder) linkOf(addr string) string {
	if o, ok := b.plan.Objects[addr]; ok {
		return o.Link
	}
	if o, ok := b.st.Objects[addr]; ok {
		return o.Identity["link"]
	}
	return ""
}

// connect makes g wait for other where the domain order requires it:
// creations and changes after the lower-ranked objects of their link,
// removals before them.
func (b *builder) connect(g, other *group) {
	rg, okg := rank[g.kind]
	ro, oko := rank[other.kind]
	if g == other || !okg || !oko || g.link != other.link {
		return
	}
	switch {
	case !g.removal && !other.removal && ro < rg:
		depend(g.actions[0], other.last())
	case g.removal && ro > rg:
		depend(g.actions[0], other.last())
	case !g.removal && other.removal && ro <= rg && other.kind != "link":
		// A recreated object waits for the removal of what it replaces.
		depend(g.actions[0], other.last())
	}
}

// connectBootstraps runs the bootstraps that share a table one after
// another in address order, the order their previews count in: a row
// that matches two of them goes to the first.
func (b *builder) connectBootstraps() {
	last := map[string]*Action{} // by link and table
	var boots []*Action
	for _, a := range b.plan.Actions {
		if a.Kind == Bootstrap {
			boots = append(boots, a)
		}
	}
	slices.SortFunc(boots, func(x, y *Action) int { return strings.Compare(x.Address, y.Address) })
	for _, a := range boots {
		link := b.linkOf(addrs.ObjectOf(a.Address))
		for _, t := range a.Params.Tables {
			k := link + "|" + strings.ToLower(t)
			if prev := last[k]; prev != nil && prev != a {
				depend(a, prev)
			}
			last[k] = a
		}
	}
}

// connectMapDependencies makes a map's start and resume wait for the maps
// it depends on (reference data first).
func (b *builder) connectMapDependencies(groups map[string]*group) {
	for addr, g := range groups {
		m := b.cfg.TableMaps[addr]
		if m == nil {
			continue
		}
		for _, dep := range m.DependsOn {
			dg := groups[dep]
			if dg == nil {
				continue
			}
			for _, a := range g.actions {
				if a.Kind == Start || a.Kind == Resume || a.Kind == InitialSync {
					depend(a, dg.last())
				}
			}
		}
	}
}

// connectPrerequisites makes a map's start and initial sync wait for the
// maps the service runs before it (Live.Prerequisites), where those are
// planned too and the order does not contradict depends_on.
func (b *builder) connectPrerequisites(groups map[string]*group) {
	byTemplate := map[string]string{}
	for addr, m := range b.liveMaps {
		byTemplate[m.Active.ID] = addr
		byTemplate[m.TemplateID] = addr
	}
	for _, addr := range sortedKeys(groups) {
		g, m := groups[addr], b.liveMaps[addr]
		l := b.lives[g.link]
		if m == nil || l == nil {
			continue
		}
		for _, tid := range l.Prerequisites[m.Active.ID] {
			dg := groups[byTemplate[tid]]
			if dg == nil || dg == g {
				continue
			}
			for _, a := range g.actions {
				if (a.Kind == Start || a.Kind == InitialSync) && !b.reaches(dg.last(), a) {
					depend(a, dg.last())
				}
			}
		}
	}
}

// reaches reports whether from depends on to, directly or not.
func (b *builder) reaches(from, to *Action) bool { return graph.Reaches(b.dependsOn, from.ID, to.ID) }

// dependsOn gives an action's dependencies by id, for the graph functions.
func (b *builder) dependsOn(id string) []string {
	if a := b.byID[id]; a != nil {
		return a.DependsOn
	}
	return nil
}

func depend(a, on *Action) {
	if !slices.Contains(a.DependsOn, on.ID) {
		a.DependsOn = append(a.DependsOn, on.ID)
	}
}

// preventDestroy refuses a reset of a link that sets prevent_destroy.
func (b *builder) preventDestroy() {
	for _, a := range b.plan.Actions {
		if a.Object != "link" || (a.Kind != Reset && a.Kind != Replace) {
			continue
		}
		l := b.cfg.Links[addrs.NameOf(a.Address)]
		if l == nil || !l.PreventDestroy {
			continue
		}
		b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Instance cannot be destroyed",
			Detail: fmt.Sprintf("%s has lifecycle.prevent_destroy set, but the plan would %s it (%s). Remove prevent_destroy to allow it, or change the plan so it is not needed.",
				a.Address, a.Kind.Name(), ReasonText(a.Reason)),
			Subject: l.DeclRange.Ptr()})
	}
}

// target keeps the actions of the targeted objects and what they depend on.
// A target that names no object of the configuration or the state is an
// error: a typo must not plan nothing quietly.
func (b *builder) target() {
	for _, t := range b.opts.Targets {
		if !b.known(t) {
			b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown -target address",
				Detail: fmt.Sprintf("-target=%s names no object of the configuration or the state. Give an address as dwctl shows them, "+
					"such as table_map.customers, company.USMF or company.all[\"USMF\"]; dwctl state list shows the managed ones.", t)})
		}
	}
	var roots []string
	for _, a := range b.plan.Actions {
		if targeted(addrs.ObjectOf(a.Address), b.opts.Targets) {
			roots = append(roots, a.ID)
		}
	}
	keep := graph.Closure(b.dependsOn, roots...)
	var out []*Action
	for _, a := range b.plan.Actions {
		if keep[a.ID] {
			out = append(out, a)
		}
	}
	b.plan.Actions = out
}

// known reports whether a target names an object declared or managed.
func (b *builder) known(target string) bool {
	for addr := range b.plan.Objects {
		if targeted(addr, []string{target}) {
			return true
		}
	}
	for addr := range b.st.Objects {
		if targeted(addr, []string{target}) {
			return true
		}
	}
	return false
}

// targeted reports whether addr is one of targets or inside one (a
// for_each object targeted without its key).
func targeted(addr string, targets []string) bool {
	obj, err := addrs.ParseObject(addr)
	for _, t := range targets {
		to, terr := addrs.ParseObject(t)
		if addr == t || err == nil && terr == nil && to.Contains(obj) {
			return true
		}
	}
	return false
}

// sort orders actions so each comes after its dependencies, otherwise in
// the order planned.
func (b *builder) sort() {
	ids := make([]string, len(b.plan.Actions))
	for i, a := range b.plan.Actions {
		ids[i] = a.ID
	}
	out := make([]*Action, 0, len(ids))
	for _, id := range graph.Order(ids, b.dependsOn) {
		out = append(out, b.byID[id])
	}
	b.plan.Actions = out
}
