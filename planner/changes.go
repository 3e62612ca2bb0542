package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/dwctl/dwctl/config"
)

// planChanges plans the actions that make the pair match the configuration.
func (b *builder) planChanges(binds, removed []*binding) {
	for _, bd := range binds {
		if bd.obj.Kind == "link" {
			b.planLink(bd)
			b.planLegalEntitiesByReset(bd)
		}
	}
	for _, bd := range binds {
		if b.replaced[bd.obj.Link] && bd.obj.Kind != "link" && bd.obj.Kind != "number_sequence" {
			bd.live, bd.masked = nil, nil
		}
		switch bd.obj.Kind {
		case "company":
			b.planCompany(bd)
		case "integration_key":
			b.planSimple(bd, false)
		case "table_map":
			if bd.live != nil {
				b.liveMaps[bd.obj.Address] = bd.live.m
			}
			b.planMap(bd)
		case "number_sequence":
			b.planSequence(bd)
		}
	}
	for _, bd := range removed {
		if !b.replaced[bd.obj.Link] || bd.obj.Kind == "link" {
			b.planRemoval(bd, ReasonRemovedFromConfig)
		}
	}
}

// planLink plans a link: link it, reset and link it again when it points
// at another Dataverse organisation, or update its alerts.
func (b *builder) planLink(bd *binding) {
	d := bd.obj.Desired
	switch {
	case bd.live == nil:
		b.add(&Action{Address: bd.obj.Address, Object: "link", Kind: Create, Reason: ReasonNotInLive, After: d})
	case bd.masked.Link.Dataverse != d.Link.Dataverse || len(b.staleRuntime(bd.obj.Link, d.Link.Dataverse)) > 0:
		b.replaced[bd.obj.Link] = true
		reason, notes := ReasonLinkedElsewhere, []string{resetNote}
		if stale := b.staleRuntime(bd.obj.Link, d.Link.Dataverse); bd.masked.Link.Dataverse == d.Link.Dataverse {
			reason = ReasonStaleRuntime
			notes = append(notes, fmt.Sprintf("F&O's runtime configuration names another Dataverse environment (%s), as after a database refresh (health check DWFOEV1004); the reset deletes it.",
				strings.Join(stale, ", ")))
		}
		if l := b.lives[bd.obj.Link]; l != nil && l.Copied() {
			reason = ReasonEnvironmentCopied
			notes = []string{fmt.Sprintf("The link names the Dataverse environment %s, but %s is the environment %s (organization %s): a database was copied from another environment (a refresh), "+
				"so the link, its maps and the runtime configuration still belong to the source pair, and Dataverse refuses writes to tables with running maps (\"SecureConfig Organization … does not match actual CRM Organization\"). "+
				"The documented recovery is to unlink and link again.", l.Link.DataverseEnvironmentID, l.Endpoints.Dataverse, l.DataverseOrganization.EnvironmentID, l.DataverseOrganization.ID), resetNote}
		}
		b.add(&Action{Address: bd.obj.Address, Object: "link", Kind: Replace, Reason: reason,
			Before: bd.masked, After: d, Changes: changes(bd.masked, d), Destructive: true, Notes: notes})
	case !equal(d, bd.masked):
		b.add(&Action{Address: bd.obj.Address, Object: "link", Kind: Update, Reason: ReasonAttributesChanged,
			Before: bd.masked, After: d, Changes: changes(bd.masked, d)})
	}
}

const resetNote = "The link is reset (a force reset: running maps stop): every map, integration key, legal entity, alert setting and the sync history of the pair are deleted, then everything declared is created again."

// staleRuntime lists the Dataverse hosts other than want that F&O's
// runtime configuration of the link's pair names.
func (b *builder) staleRuntime(link, want string) []string {
	return staleRuntimeHosts(b.lives[link], want)
}

// staleRuntimeHosts lists the Dataverse hosts other than want (as the
// desired link names it) that F&O's runtime configuration of the pair
// names.
func staleRuntimeHosts(l *Live, want string) []string {
	if l == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, pc := range l.ProjectConfigurations {
		if h := l.linkHost(pc.ExternalEnvironmentURL); pc.ExternalEnvironmentURL != "" && h != want && !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}

// planCompany plans a legal entity of the link and its cdm_company row.
func (b *builder) planCompany(bd *binding) {
	a := b.planSimple(bd, false)
	if a != nil && a.Kind == Create {
		c := b.cfg.Companies[bd.obj.Address]
		a.Params.SkipInitialWrites = c != nil && !c.InitialWrites
		a.Params.AddedByReset = b.resetWith[bd.obj.Link]
		if l := b.lives[bd.obj.Link]; c != nil && c.CreateLegalEntity && l != nil && l.FinOpsLegalEntities != nil &&
			!slices.Contains(l.FinOpsLegalEntities, strings.ToUpper(c.ID)) {
			a.Params.CreateLegalEntity = true
			a.Notes = append(a.Notes, fmt.Sprintf("F&O has no legal entity %s: dwctl creates it (LegalEntities: id %s, name %q) before adding it to the link.",
				c.ID, c.ID, c.Name))
		}
	}
	b.planBootstrap(bd)
}

// planLegalEntitiesByReset plans, for a link whose configuration asks for
// it (control.legal_entities_by_reset) on a gateway that would make adding
// or removing legal entities a manual step, the observed alternative: one
// reset of the link with the declared legal entities. The reset stops every
// map and deletes the integration keys, alert settings and history, so
// every other object of the link is planned again after it.
func (b *builder) planLegalEntitiesByReset(bd *binding) {
	name := bd.obj.Link
	cl, l := b.cfg.Links[name], b.lives[name]
	if bd.live == nil || b.replaced[name] || cl == nil || !cl.LegalEntitiesByReset || cl.UnverifiedCalls ||
		l == nil || l.Emulator != "" || l.Gateway.Emulator {
		return
	}
	var declared []string
	for _, addr := range sortedKeys(b.cfg.Companies) {
		if c := b.cfg.Companies[addr]; c.Link == cl {
			declared = append(declared, strings.ToUpper(c.ID))
		}
	}
	var have []string
	for _, le := range l.LegalEntities {
		have = append(have, strings.ToUpper(le.Code))
	}
	slices.Sort(declared)
	slices.Sort(have)
	if len(declared) == 0 || slices.Equal(declared, have) {
		return
	}
	if up := b.byID[bd.obj.Address+":update"]; up != nil { // the alerts go with the reset
		b.plan.Actions = slices.DeleteFunc(b.plan.Actions, func(a *Action) bool { return a == up })
		delete(b.byID, up.ID)
	}
	b.replaced[name], b.resetWith[name] = true, true
	notes := []string{fmt.Sprintf("The link is reset with the legal entities %s (it has %s): adding or removing one has no public gateway call, "+
		"Reset with the new list is the observed way. Every map stops and loses its runtime configuration; integration keys, alert settings "+
		"and the sync history are deleted; everything declared is then created again.", listOrNone(declared), listOrNone(have))}
	if len(bd.obj.Desired.Link.Alerts) > 0 {
		notes = append(notes, "The alert settings are not set again by this apply (no public call writes them): the next plan shows them as a step to take by hand.")
	}
	b.add(&Action{Address: bd.obj.Address, Object: "link", Kind: Replace, Reason: ReasonLegalEntitiesReset, Before: bd.masked,
		After: bd.obj.Desired, Destructive: true, Params: Params{LegalEntities: declared}, Notes: notes})
}

func listOrNone(codes []string) string {
	if len(codes) == 0 {
		return "none"
	}
	return strings.Join(codes, ", ")
}

// planSimple plans create or update of an object whose change is one call.
func (b *builder) planSimple(bd *binding, destructiveUpdate bool) *Action {
	d, reason := bd.obj.Desired, ReasonNotInLive
	if b.replaced[bd.obj.Link] {
		reason = ReasonRecreatedByReset
	}
	switch {
	case bd.live == nil:
		return b.add(&Action{Address: bd.obj.Address, Object: bd.obj.Kind, Kind: Create, Reason: reason, After: d})
	case !equal(d, bd.masked):
		return b.add(&Action{Address: bd.obj.Address, Object: bd.obj.Kind, Kind: Update, Reason: ReasonAttributesChanged,
			Before: bd.masked, After: d, Changes: changes(bd.masked, d), Destructive: destructiveUpdate})
	}
	return nil
}

// planRemoval plans the deletion of a managed object that is no longer
// declared (or of everything, for -destroy).
func (b *builder) planRemoval(bd *binding, reason Reason) {
	o := bd.obj
	switch o.Kind {
	case "link":
		b.add(&Action{Address: o.Address, Object: "link", Kind: Reset, Reason: reason, Before: bd.masked, Destructive: true,
			Notes: []string{"Reset deletes every map, integration key, legal entity, alert setting and the sync history of the pair."}})
	case "table_map":
		if bd.masked.Map.State != "stopped" {
			b.add(&Action{Address: o.Address, Object: o.Kind, Kind: Stop, Reason: ReasonDeleteRequiresStop, Before: bd.masked,
				Params: Params{TemplateID: bd.live.m.TemplateID}})
		}
		b.add(&Action{Address: o.Address, Object: o.Kind, Kind: Delete, Reason: reason, Before: bd.masked, Destructive: true,
			Params: Params{TemplateID: bd.live.m.TemplateID}})
	case "company":
		b.add(&Action{Address: o.Address, Object: o.Kind, Kind: Delete, Reason: reason, Before: bd.masked, Destructive: true,
			Notes: []string{"Maps stop syncing this company's rows; removing a company fails while a map is paused."}})
	default:
		b.add(&Action{Address: o.Address, Object: o.Kind, Kind: Delete, Reason: reason, Before: bd.masked})
	}
}

// planDestroy plans the deletion of every managed object found live.
func (b *builder) planDestroy(all []*binding) {
	for _, kind := range []string{"table_map", "integration_key", "company", "number_sequence", "link"} {
		for _, bd := range all {
			if bd.obj.Kind == kind && bd.st != nil && bd.live != nil && kind != "number_sequence" {
				b.planRemoval(bd, ReasonDestroyRequested)
			}
		}
	}
}

// planSequence plans an F&O number sequence and a Dataverse autonumber.
func (b *builder) planSequence(bd *binding) {
	d := bd.obj.Desired
	seed, err := b.seedChange(bd)
	if err != "" {
		n := b.cfg.NumberSequences[bd.obj.Address]
		b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Seed below numbers already issued",
			Detail: err, Subject: seedRange(n)})
	}
	switch {
	case bd.live == nil:
		b.add(&Action{Address: bd.obj.Address, Object: bd.obj.Kind, Kind: Create, Reason: ReasonNotInLive, After: d})
	case !equal(d, bd.masked) || seed:
		before := withSeed(bd.masked, nil)
		b.add(&Action{Address: bd.obj.Address, Object: bd.obj.Kind, Kind: Update, Reason: ReasonAttributesChanged,
			Before: before, After: d, Changes: seqChanges(before, d, seed, b.liveNext(bd))})
	}
}

// seedChange decides whether the declared seed must be set: when it
// differs from the seed last applied (state) and from the live next value.
// A seed below the next value would reissue numbers: that is an error.
func (b *builder) seedChange(bd *binding) (bool, string) {
	ds := bd.obj.Desired.Sequence.Dataverse
	if ds == nil || ds.Seed == nil || bd.live == nil || bd.live.attrs.Sequence.Dataverse == nil {
		return false, ""
	}
	if prev := stateAttributes(bd.st); prev != nil && prev.Sequence != nil && prev.Sequence.Dataverse != nil &&
		prev.Sequence.Dataverse.Seed != nil && *prev.Sequence.Dataverse.Seed == *ds.Seed {
		return false, ""
	}
	next := b.liveNext(bd)
	switch {
	case next == *ds.Seed:
		return false, ""
	case *ds.Seed < next:
		return false, fmt.Sprintf("The seed %d of %s.%s is below the next number %d the column issues: rows numbered %d to %d may exist already, so the seed would issue duplicates. Set seed to %d or more.",
			*ds.Seed, ds.Table, ds.Column, next, *ds.Seed, next-1, next)
	}
	return true, ""
}

func (b *builder) liveNext(bd *binding) int64 {
	ds := bd.obj.Desired.Sequence.Dataverse
	if l := b.lives[bd.obj.Link]; l != nil && ds != nil {
		if an, ok := l.autoNumber(ds.Table, ds.Column); ok {
			return an.Next
		}
	}
	return 0
}

// withSeed returns a copy of a with the Dataverse seed of d (nil: none).
func withSeed(a, d *Attributes) *Attributes {
	if a == nil || a.Sequence == nil || a.Sequence.Dataverse == nil {
		return a
	}
	c, s, dv := *a, *a.Sequence, *a.Sequence.Dataverse
	dv.Seed = nil
	if d != nil && d.Sequence != nil && d.Sequence.Dataverse != nil {
		dv.Seed = d.Sequence.Dataverse.Seed
	}
	s.Dataverse = &dv
	c.Sequence = &s
	return &c
}

// seqChanges lists a sequence's changes, with the seed shown against the
// live next value when it changes.
func seqChanges(before, after *Attributes, seed bool, next int64) []Change {
	out := changes(before, after)
	if !seed {
		return out
	}
	bv, av := fmt.Sprintf("%d (next value)", next), fmt.Sprintf("%d", *after.Sequence.Dataverse.Seed)
	sc := Change{Name: "seed", Kind: Update, Before: &bv, After: &av}
	for i := range out {
		if out[i].Name == "dataverse" {
			out[i].Nested = append(out[i].Nested, sc)
			return out
		}
	}
	unchanged := 0
	if before.Sequence != nil && before.Sequence.Dataverse != nil {
		unchanged = 3 // table, column and format
	}
	return append(out, Change{Name: "dataverse", Kind: Update, Nested: []Change{sc}, Unchanged: unchanged})
}

// ReasonText turns a reason into words for renderers.
func ReasonText(r Reason) string { return strings.ReplaceAll(string(r), "_", " ") }

// seedRange locates a number sequence's Dataverse block for diagnostics.
func seedRange(n *config.NumberSequence) *hcl.Range {
	if n == nil || n.Dataverse == nil {
		return nil
	}
	return n.Dataverse.DeclRange.Ptr()
}
