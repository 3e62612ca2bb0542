package connection

import (
	"context"
	"fmt"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
)

// executor runs one action through the providers: the smallest applier
// that lets the tests check that what the planner plans converges.
type executor struct {
	ctx  context.Context
	pair live.Pair
	cfg  *config.Config
}

func (x *executor) link() providers.LinkInfo {
	l, _, _ := x.pair.Control.Link(x.ctx)
	return l
}

func (x *executor) run(a *planner.Action) error {
	ctl := x.pair.Control
	switch {
	case a.Object == "link" && a.Kind == planner.Create:
		_, err := ctl.CreateLink(x.ctx, providers.LinkRequest{DataverseEnvironment: x.pair.Endpoints.Dataverse})
		return err
	case a.Object == "company" && a.Kind == planner.Create:
		return ctl.AddLegalEntities(x.ctx, x.link(), []string{a.After.Company.ID}, a.Params.SkipInitialWrites)
	case a.Object == "integration_key" && (a.Kind == planner.Create || a.Kind == planner.Update):
		return ctl.SetIntegrationKeys(x.ctx, x.link(), map[string][]string{a.After.Key.Table: a.After.Key.Columns})
	case a.Object == "table_map":
		return x.runMap(a)
	case a.Object == "number_sequence" && (a.Kind == planner.Create || a.Kind == planner.Update):
		return x.runSequence(a)
	}
	return fmt.Errorf("the test executor does not run %s", a.ID)
}

func (x *executor) runMap(a *planner.Action) error {
	ctl, link := x.pair.Control, x.link()
	switch a.Kind {
	case planner.Create, planner.SaveVersion:
		m, err := x.byTemplate(a.Params.TemplateID)
		version := a.Params.Version
		if a.Kind == planner.Create {
			// A map the solutions published when the link was made is
			// adopted, not created twice.
			if m, err = x.findMap(a.After.Map.FinOps, a.After.Map.Dataverse); err != nil {
				m = providers.Map{}
			} else {
				version = "1.0.0.9999"
			}
		} else if err != nil {
			return err
		}
		name := a.After.Map.Dataverse + " - " + a.After.Map.FinOps
		if m.DisplayName != "" {
			name = m.DisplayName
		}
		t, err := x.saveVersion(name, definition(a.After.Map), a.Params.Publisher, version)
		if err != nil {
			return err
		}
		if m, err = x.byTemplate(t.ID); err != nil {
			return err
		}
		if m.ProjectID == "" {
			if err := x.act(m, providers.ActionInitialize, providers.ActionOptions{}); err != nil {
				return err
			}
			if m, err = x.byTemplate(t.ID); err != nil {
				return err
			}
		}
		if m.Active.ID == t.ID {
			return nil
		}
		return ctl.SwitchVersion(x.ctx, link, m, t.ID)
	case planner.InitialSync:
		return nil // the service's initial sync ran with the start
	}
	m, err := x.byTemplate(a.Params.TemplateID)
	if a.Params.TemplateID == "" {
		m, err = x.findMap(a.After.Map.FinOps, a.After.Map.Dataverse)
	}
	if err != nil {
		return err
	}
	action := map[planner.Kind]providers.MapAction{planner.Start: providers.ActionStart, planner.Stop: providers.ActionStop,
		planner.Pause: providers.ActionPause, planner.Resume: providers.ActionResume}[a.Kind]
	if action == 0 {
		return fmt.Errorf("the test executor does not run %s", a.ID)
	}
	return x.act(m, action, providers.ActionOptions{SkipInitialSync: a.Params.SkipInitialSync, Master: a.Params.Master})
}

func (x *executor) act(m providers.Map, action providers.MapAction, o providers.ActionOptions) error {
	id, err := x.pair.Control.Act(x.ctx, x.link(), action, []providers.Map{m}, o)
	if err != nil {
		return err
	}
	_, err = x.pair.Control.Wait(x.ctx, x.link(), id)
	return err
}

// definition converts planned map attributes to the service's definition.
func definition(m *planner.MapAttrs) providers.MapDefinition {
	d := providers.MapDefinition{FinOpsEntity: m.FinOps, DataverseEntitySet: m.Dataverse,
		FinOpsFilter: m.FinOpsFilter, DataverseFilter: m.DataverseFilter}
	for _, f := range m.Fields {
		d.Fields = append(d.Fields, providers.FieldMapping{FinOps: f.FinOps, Dataverse: f.Dataverse,
			Direction: planner.DirectionOf(config.Direction(f.Direction)), ValueMap: f.ValueMap, Default: f.Default})
	}
	return d
}

func (x *executor) maps() ([]providers.Map, error) { return x.pair.Control.Maps(x.ctx, x.link()) }

func (x *executor) byTemplate(id string) (providers.Map, error) {
	ms, err := x.maps()
	for _, m := range ms {
		if m.TemplateID == id || m.Active.ID == id {
			return m, err
		}
		for _, v := range m.Versions {
			if v.ID == id {
				return m, err
			}
		}
	}
	return providers.Map{}, fmt.Errorf("no map with template %s (%v)", id, err)
}

func (x *executor) findMap(finops, dataverse string) (providers.Map, error) {
	ms, err := x.maps()
	for _, m := range ms {
		if strings.EqualFold(m.FinOpsEntity, finops) && strings.EqualFold(m.DataverseEntitySet, dataverse) {
			return m, err
		}
	}
	return providers.Map{}, fmt.Errorf("no map %s ↔ %s (%v)", finops, dataverse, err)
}

// runSequence writes both sides of a number sequence.
func (x *executor) runSequence(a *planner.Action) error {
	if f := a.After.Sequence.FinOps; f != nil {
		scope := ""
		if f.Scope != "shared" {
			scope = f.Company
		}
		if _, err := x.pair.FinOps.PutNumberSequence(x.ctx, providers.NumberSequence{Code: f.Code, ScopeType: planner.ScopeType(f.Scope),
			ScopeValue: scope, Name: f.Code, Format: f.Format, Smallest: f.Smallest, Largest: f.Largest, Next: f.Smallest}); err != nil {
			return err
		}
	}
	d := a.After.Sequence.Dataverse
	if d == nil {
		return nil
	}
	if err := x.pair.Dataverse.SetAutoNumberFormat(x.ctx, d.Table, d.Column, d.Format); err != nil {
		return err
	}
	if d.Seed == nil {
		return nil
	}
	an, err := x.pair.Dataverse.AutoNumber(x.ctx, d.Table, d.Column)
	if err != nil || an.Next == *d.Seed {
		return err
	}
	return x.pair.Dataverse.SetAutoNumberSeed(x.ctx, d.Table, d.Column, *d.Seed)
}

// saveVersion saves def as version of the map named name the way dwctl does: a
// msdyn_dualwriteentitymap row of an unmanaged solution of the publisher, then Apply solution. It
// returns the version as the gateway lists it.
func (x *executor) saveVersion(name string, def providers.MapDefinition, publisher, version string) (providers.MapTemplate, error) {
	prefix := strings.ToLower(publisher)
	if len(prefix) > 8 {
		prefix = prefix[:8]
	}
	sol := providers.SolutionSpec{UniqueName: publisher + "_maps", FriendlyName: publisher, Publisher: publisher, PublisherName: publisher,
		Prefix: prefix, OptionValuePrefix: 12348}
	doc, err := live.EncodeMapping(name, def)
	if err != nil {
		return providers.MapTemplate{}, err
	}
	row := providers.EntityMap{Name: prefix + "_[" + name + "]", DisplayName: name, Version: version, Mapping: doc}
	if _, err := x.pair.Dataverse.SaveEntityMap(x.ctx, sol, row); err != nil {
		return providers.MapTemplate{}, err
	}
	if err := x.pair.Control.ApplySolution(x.ctx, x.link(), sol.UniqueName); err != nil {
		return providers.MapTemplate{}, err
	}
	maps, err := x.maps()
	if err != nil {
		return providers.MapTemplate{}, err
	}
	for _, m := range maps {
		for _, v := range m.Versions {
			if m.DisplayName == name && v.Version == version && v.Author == publisher {
				return v, nil
			}
		}
	}
	return providers.MapTemplate{}, fmt.Errorf("no version %s of %s after Apply solution", version, name)
}
