package applier

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
)

// execution is one action being run.
type execution struct {
	a     *Applier
	act   *planner.Action
	drain <-chan struct{}
	rec   *recorder
	// rows is what a data operation moved; message a sentence for the
	// journal and the progress line.
	rows    int64
	message string
	pace    *pacer
}

// ManualStepError is an action the plan marks as a manual step: apply
// stops before it, and the actions that depend on it do not start.
type ManualStepError struct {
	Manual *planner.Manual
}

func (e *ManualStepError) Error() string {
	return "a manual step (the gateway call it needs, " + e.Manual.Call + ", is not observed in public, so dwctl does not send it): " +
		strings.Join(e.Manual.Steps, " ") + " To let dwctl send its unverified call instead, set control { unverified_calls = true } on the link."
}

// execute runs the action as planner's package documentation describes.
func (x *execution) execute(ctx context.Context) error {
	if x.act.Manual != nil {
		return &ManualStepError{Manual: x.act.Manual}
	}
	switch x.act.Object {
	case "link":
		return x.link(ctx)
	case "company":
		if x.act.Kind == planner.Bootstrap {
			return x.bootstrap(ctx)
		}
		return x.company(ctx)
	case "integration_key":
		return x.integrationKey(ctx)
	case "table_map":
		if x.act.Kind == planner.InitialSync {
			return x.initialSync(ctx)
		}
		return x.tableMap(ctx)
	case "number_sequence":
		return x.sequence(ctx)
	}
	return fmt.Errorf("unknown object kind %q", x.act.Object)
}

// linkName returns the name of the link the action's object belongs to.
func (x *execution) linkName() string {
	obj := addrs.ObjectOf(x.act.Address)
	if o := x.rec.p.Objects[obj]; o != nil {
		return o.Link
	}
	if o, ok := x.rec.snapshot().Object(obj); ok {
		return o.Identity["link"]
	}
	if a, err := addrs.Parse(obj); err == nil && a.Object.Kind == addrs.Link {
		return a.Object.Name
	}
	return ""
}

// pair returns the providers of the action's link.
func (x *execution) pair() (Pair, error) { return x.a.pair(x.linkName()) }

// attrs returns the attributes the action leads to, or those it starts from.
func (x *execution) attrs() *planner.Attributes {
	if x.act.After != nil {
		return x.act.After
	}
	if o := x.rec.p.Objects[addrs.ObjectOf(x.act.Address)]; o != nil && o.Desired != nil {
		return o.Desired
	}
	return x.act.Before
}

// linkInfo resolves the link of the action's pair, once per run.
func (x *execution) linkInfo(ctx context.Context) (providers.LinkInfo, error) {
	name := x.linkName()
	x.a.mu.Lock()
	cached := x.a.links[name]
	x.a.mu.Unlock()
	if cached != nil {
		return *cached, nil
	}
	p, err := x.pair()
	if err != nil {
		return providers.LinkInfo{}, err
	}
	info, found, err := p.Control.Link(ctx)
	if err != nil {
		return providers.LinkInfo{}, err
	}
	if !found {
		return providers.LinkInfo{}, fmt.Errorf("the F&O environment of link %s is not linked", name)
	}
	x.setLinkInfo(&info)
	return info, nil
}

func (x *execution) setLinkInfo(info *providers.LinkInfo) {
	x.a.mu.Lock()
	defer x.a.mu.Unlock()
	x.a.links[x.linkName()] = info
}

// link creates, updates, replaces or resets a link.
func (x *execution) link(ctx context.Context) error {
	p, err := x.pair()
	if err != nil {
		return err
	}
	switch x.act.Kind {
	case planner.Update:
		info, err := x.linkInfo(ctx)
		if err != nil {
			return err
		}
		return p.Control.SetAlerts(ctx, info, alertSettings(x.attrs().Link.Alerts))
	case planner.Reset, planner.Delete, planner.Replace:
		info, err := x.linkInfo(ctx)
		if err != nil {
			return err
		}
		// A replaced link goes with its maps, running or not: the reset
		// forces their stop, as the workspace's Force reset does.
		opts := providers.ResetOptions{Force: x.act.Kind == planner.Replace}
		if les := x.act.Params.LegalEntities; les != nil {
			// A reset with the new legal entities, the observed way to change them:
			// the link stays, so nothing is created after it.
			opts = providers.ResetOptions{Force: true, LegalEntities: les}
		}
		if err := p.Control.ResetLink(ctx, info, opts); err != nil {
			return err
		}
		x.setLinkInfo(nil)
		if x.act.Kind != planner.Replace || opts.LegalEntities != nil {
			if opts.LegalEntities != nil {
				x.message = "reset with the legal entities " + strings.Join(opts.LegalEntities, ", ")
			}
			return nil
		}
	}
	la := x.attrs().Link
	if x.act.Kind == planner.Replace {
		// The observed reset relinks the pair "with the currently configured
		// legal entities" [O: the automation's README]: when the connection
		// set is still there, it is the new link.
		info, found, err := p.Control.Link(ctx)
		if err != nil {
			return err
		}
		if found {
			x.setLinkInfo(&info)
			x.message = "reset; the gateway relinked the pair"
			if len(la.Alerts) == 0 {
				return nil
			}
			return p.Control.SetAlerts(ctx, info, alertSettings(la.Alerts))
		}
	}
	dvURL := environmentURL(la.Dataverse)
	if ep := p.Endpoints.Dataverse; ep != "" && (strings.HasPrefix(la.Dataverse, "emulator:") || strings.Contains(ep, "://"+la.Dataverse)) {
		// An emulated link names its emulator; the pair's endpoint is its URL.
		dvURL = ep
	}
	info, err := p.Control.CreateLink(ctx, providers.LinkRequest{DataverseEnvironment: dvURL})
	if err != nil {
		return err
	}
	x.setLinkInfo(&info)
	if len(la.Alerts) == 0 {
		return nil
	}
	return p.Control.SetAlerts(ctx, info, alertSettings(la.Alerts))
}

// environmentURL turns the host a plan records into the environment URL.
func environmentURL(host string) string {
	if strings.Contains(host, "://") {
		return host
	}
	return "https://" + host
}

func alertSettings(as []planner.AlertAttrs) []providers.AlertSetting {
	out := make([]providers.AlertSetting, 0, len(as))
	for _, a := range as {
		within, _ := time.ParseDuration(a.Within)
		out = append(out, providers.AlertSetting{Name: a.Name, Errors: a.Errors, Count: a.Count, Within: within,
			Action: a.Action, Recipients: a.Recipients})
	}
	return out
}

// integrationKey sets or clears the key of a Dataverse table.
func (x *execution) integrationKey(ctx context.Context) error {
	p, err := x.pair()
	if err != nil {
		return err
	}
	info, err := x.linkInfo(ctx)
	if err != nil {
		return err
	}
	k := x.attrs().Key
	cols := k.Columns
	if x.act.Kind == planner.Delete {
		cols = []string{} // [I] an empty key list removes the table's key
	}
	if err := p.Control.SetIntegrationKeys(ctx, info, map[string][]string{k.Table: cols}); err != nil {
		return err
	}
	return x.refreshTablesOf(ctx, p.Control, info, k.Table)
}

// refreshTablesOf refreshes the tables of the initialised maps on a
// Dataverse table that are not running, as the workspace does after an
// integration key changes [O]; a running map is refreshed when it next
// starts.
func (x *execution) refreshTablesOf(ctx context.Context, cp providers.ControlPlane, info providers.LinkInfo, table string) error {
	maps, err := cp.Maps(ctx, info)
	if err != nil {
		return err
	}
	var refreshed []string
	for _, m := range maps {
		if !strings.EqualFold(m.DataverseTable, table) || m.ProjectID == "" || m.State == providers.StateRunning || m.State == providers.StatePaused {
			continue
		}
		if err := cp.RefreshTables(ctx, info, m); err != nil {
			return err
		}
		refreshed = append(refreshed, m.DisplayName)
	}
	if len(refreshed) > 0 {
		x.message = "refreshed the tables of " + strings.Join(refreshed, ", ")
	}
	return nil
}

// sequence writes an F&O number sequence and a Dataverse autonumber.
func (x *execution) sequence(ctx context.Context) error {
	if x.act.Kind == planner.Delete {
		// Neither API deletes a sequence dwctl declared: it stops being managed.
		x.message = "no longer managed; the number sequence and the autonumber format are left as they are"
		return nil
	}
	p, err := x.pair()
	if err != nil {
		return err
	}
	s := x.attrs().Sequence
	if f := s.FinOps; f != nil {
		seq, err := x.finOpsSequence(ctx, p.FinOps, f)
		if err != nil {
			return err
		}
		if _, err := p.FinOps.PutNumberSequence(ctx, seq); err != nil {
			return err
		}
	}
	if d := s.Dataverse; d != nil {
		if err := p.Dataverse.SetAutoNumberFormat(ctx, d.Table, d.Column, d.Format); err != nil {
			return err
		}
		if d.Seed != nil {
			an, err := p.Dataverse.AutoNumber(ctx, d.Table, d.Column)
			if err != nil {
				return err
			}
			if an.Next != *d.Seed {
				return p.Dataverse.SetAutoNumberSeed(ctx, d.Table, d.Column, *d.Seed)
			}
		}
	}
	return nil
}

// finOpsSequence returns the sequence to write: the live one (keeping its
// next number, name and flags) with the declared format and range, or a new
// one starting at its smallest number.
func (x *execution) finOpsSequence(ctx context.Context, fo providers.FinOps, f *planner.FinOpsSeqAttrs) (providers.NumberSequence, error) {
	want := providers.NumberSequence{Code: f.Code, ScopeType: planner.ScopeType(f.Scope), ScopeValue: f.Company,
		Name: f.Code, Format: f.Format, Smallest: f.Smallest, Largest: f.Largest, Next: f.Smallest}
	live, err := fo.NumberSequences(ctx, "NumberSequenceCode eq '"+strings.ReplaceAll(f.Code, "'", "''")+"'")
	if err != nil {
		return want, err
	}
	for _, s := range live {
		if !strings.EqualFold(s.ScopeType, want.ScopeType) || (f.Scope != "shared" && !strings.EqualFold(s.ScopeValue, f.Company)) {
			continue
		}
		s.Format, s.Smallest, s.Largest = f.Format, f.Smallest, f.Largest
		s.Next = max(s.Next, f.Smallest)
		return s, nil
	}
	return want, nil
}
