package planner

import (
	"fmt"
	"strings"

	"github.com/dwctl/dwctl/addrs"
)

// Manual is a step dwctl does not take on a real gateway because no public
// call shows how: creating a link, adding or removing legal entities and
// writing alert settings (docs/control-plane.md). Against the emulator, or
// when the link's control block sets unverified_calls = true, dwctl takes
// these steps itself.
type Manual struct {
	// Call is the gateway call dwctl would have to guess.
	Call string `json:"call"`
	// Steps say what to do in the dual-write workspace instead.
	Steps []string `json:"steps"`
}

// markManual marks the actions that need an unobserved gateway call as
// manual steps, for the links on a gateway that is not the emulator and
// whose configuration does not opt in.
func (b *builder) markManual() {
	for _, a := range b.plan.Actions {
		name := b.linkOf(addrs.ObjectOf(a.Address))
		l, cl := b.lives[name], b.cfg.Links[name]
		if l == nil || l.Emulator != "" || l.Gateway.Emulator || (cl != nil && cl.UnverifiedCalls) {
			continue
		}
		if m := manualStep(a); m != nil {
			a.Manual = m
		}
	}
}

// manualStep returns the manual step of an action that needs an unobserved
// call, or nil.
func manualStep(a *Action) *Manual {
	switch {
	case a.Params.LegalEntities != nil || a.Params.AddedByReset:
		return nil // the observed Reset with the new list does it
	case a.Object == "link" && (a.Kind == Create || a.Kind == Replace) && a.After != nil && a.After.Link != nil:
		la := a.After.Link
		steps := []string{
			fmt.Sprintf("In Finance and operations (%s), open Data management > Dual-write and select Link to Dataverse environment "+
				"(or link the environments from the Power Platform admin center); pick the Dataverse environment %s.", la.FinOps, la.Dataverse),
			"Select the legal entities the configuration declares for this link; the wizard needs a Microsoft Entra tenant administrator's consent.",
		}
		if a.Kind == Replace {
			steps = append([]string{"In the dual-write workspace, select Reset link (it stops every map and removes the link's configuration)."}, steps...)
		}
		steps = append(steps, alertSteps(la.Alerts)...)
		return &Manual{Call: "POST /api/ConnectionSet (no public call creates a link)", Steps: append(steps, "Then run dwctl plan again.")}
	case a.Object == "link" && a.Kind == Update && a.After != nil && a.After.Link != nil:
		return &Manual{Call: "POST /api/ConnectionSet/{cid}/AlertSettings (no public call writes alert settings)",
			Steps: append(alertSteps(a.After.Link.Alerts), "Then run dwctl plan again.")}
	case a.Object == "company" && a.Kind == Create && a.After != nil && a.After.Company != nil:
		skip := "clear"
		if a.Params.SkipInitialWrites {
			skip = "select"
		}
		return &Manual{Call: "POST /api/ConnectionSet/{cid}/LegalEntities (no public call adds a legal entity)",
			Steps: []string{fmt.Sprintf("In the dual-write workspace, select Environment details > Legal entities > Add legal entity, "+
				"pick %s and %s Skip initial writes for newly added legal entities.", a.After.Company.ID, skip),
				"Or reset the link with the new list of legal entities (observed, but it stops every map).", "Then run dwctl plan again."}}
	case a.Object == "company" && a.Kind == Delete && a.Before != nil && a.Before.Company != nil:
		return &Manual{Call: "POST /api/ConnectionSet/{cid}/LegalEntities/Remove (no public call removes a legal entity)",
			Steps: []string{fmt.Sprintf("In the dual-write workspace, select Environment details > Legal entities, select %s and Remove legal entity "+
				"(no map may be paused).", a.Before.Company.ID), "Then run dwctl plan again."}}
	}
	return nil
}

// alertSteps say how to set alert settings by hand.
func alertSteps(alerts []AlertAttrs) []string {
	if len(alerts) == 0 {
		return nil
	}
	var out []string
	for _, al := range alerts {
		line := fmt.Sprintf("In the dual-write workspace, select Environment details > Alert settings and set alert %q: errors %s, "+
			"%d within %s, then %s the maps", al.Name, strings.Join(al.Errors, " and "), al.Count, al.Within, al.Action)
		if len(al.Recipients) > 0 {
			line += ", notifying " + strings.Join(al.Recipients, ", ")
		}
		out = append(out, line+".")
	}
	return out
}
