package applier

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
)

// mapActions are the control plane's actions of the map transitions.
var mapActions = map[planner.Kind]providers.MapAction{
	planner.Start: providers.ActionStart, planner.Stop: providers.ActionStop,
	planner.Pause: providers.ActionPause, planner.Resume: providers.ActionResume,
}

// tableMap runs an action on a table map.
func (x *execution) tableMap(ctx context.Context) error {
	p, err := x.pair()
	if err != nil {
		return err
	}
	info, err := x.linkInfo(ctx)
	if err != nil {
		return err
	}
	switch x.act.Kind {
	case planner.Create:
		return x.createMap(ctx, p, info)
	case planner.SaveVersion:
		return x.saveVersion(ctx, p, info)
	case planner.SwitchVersion:
		return x.switchVersion(ctx, p.Control, info)
	case planner.Delete:
		return x.deleteMap(ctx, p.Control, info)
	}
	action, ok := mapActions[x.act.Kind]
	if !ok {
		return fmt.Errorf("a table map has no action %q", x.act.Kind)
	}
	return x.transition(ctx, p.Control, info, action)
}

// template returns the map's template: the one this run created or
// activated, else the one the plan read.
func (x *execution) template() string {
	x.a.mu.Lock()
	defer x.a.mu.Unlock()
	if tid := x.a.tids[addrs.ObjectOf(x.act.Address)]; tid != "" {
		return tid
	}
	return x.act.Params.TemplateID
}

func (x *execution) setTemplate(tid string) {
	x.a.mu.Lock()
	defer x.a.mu.Unlock()
	x.a.tids[addrs.ObjectOf(x.act.Address)] = tid
}

// findMap finds the action's map among the pair's maps: by template, else
// by its two tables. found is false when the pair has no such map.
func (x *execution) findMap(ctx context.Context, cp providers.ControlPlane, info providers.LinkInfo) (providers.Map, bool, error) {
	maps, err := cp.Maps(ctx, info)
	if err != nil {
		return providers.Map{}, false, err
	}
	if tid := x.template(); tid != "" {
		for _, m := range maps {
			if m.TemplateID == tid || hasVersion(m, tid) {
				return m, true, nil
			}
		}
	}
	a := x.attrs()
	if a == nil || a.Map == nil {
		return providers.Map{}, false, nil
	}
	var hits []providers.Map
	for _, m := range maps {
		if strings.EqualFold(m.DataverseEntitySet, a.Map.Dataverse) && strings.EqualFold(m.FinOpsEntity, a.Map.FinOps) {
			hits = append(hits, m)
		}
	}
	if len(hits) > 1 {
		return providers.Map{}, false, fmt.Errorf("%d maps join %s and %s; cannot tell which is %s", len(hits), a.Map.FinOps, a.Map.Dataverse, addrs.ObjectOf(x.act.Address))
	}
	if len(hits) == 1 {
		return hits[0], true, nil
	}
	return providers.Map{}, false, nil
}

func hasVersion(m providers.Map, tid string) bool {
	for _, v := range m.Versions {
		if v.ID == tid {
			return true
		}
	}
	return false
}

// mustFindMap is findMap for actions that need the map.
func (x *execution) mustFindMap(ctx context.Context, cp providers.ControlPlane, info providers.LinkInfo) (providers.Map, error) {
	m, found, err := x.findMap(ctx, cp, info)
	if err == nil && !found {
		err = fmt.Errorf("the map of %s was not found in the pair", addrs.ObjectOf(x.act.Address))
	}
	return m, err
}

// definition is the service's form of a map's declared attributes.
func definition(m *planner.MapAttrs) providers.MapDefinition {
	d := providers.MapDefinition{FinOpsEntity: m.FinOps, DataverseEntitySet: m.Dataverse,
		FinOpsFilter: m.FinOpsFilter, DataverseFilter: m.DataverseFilter}
	for _, f := range m.Fields {
		d.Fields = append(d.Fields, providers.FieldMapping{FinOps: f.FinOps, Dataverse: f.Dataverse,
			Direction: planner.DirectionOf(config.Direction(f.Direction)), ValueMap: f.ValueMap, Default: f.Default})
	}
	return d
}

// createMap saves the first version of a map the service does not have
// and initialises it. A map on the same two tables that the service
// already lists (the solutions publish Microsoft's maps when a link is made)
// is adopted instead: the version is saved on it and made active.
func (x *execution) createMap(ctx context.Context, p Pair, info providers.LinkInfo) error {
	ma := x.attrs().Map
	name, shared := x.newMapName()
	var m providers.Map
	var found bool
	var err error
	if shared {
		m, found, err = x.findMapNamed(ctx, p.Control, info, name)
	} else {
		m, found, err = x.findMap(ctx, p.Control, info)
	}
	if err != nil {
		return err
	}
	if found {
		name = m.DisplayName
	}
	m, t, err := x.storeVersion(ctx, p, info, name, definition(ma))
	if err != nil {
		return err
	}
	x.setTemplate(t.ID)
	if m, err = x.initialised(ctx, p.Control, info, m); err != nil {
		return err
	}
	if m.Active.ID != t.ID {
		if err := p.Control.SwitchVersion(ctx, info, m, t.ID); err != nil {
			return err
		}
	}
	if found {
		x.message = "adopted " + m.DisplayName + ", which the service already listed; version " + t.Version + " by " + t.Author + " is active"
	}
	return nil
}

// newMapName names a map dwctl creates: "<entity set> - <F&O entity>", as
// the service names maps, and when several maps of the plan's link join
// the same two tables, " (<map label>)" after it, so that each is its own
// map (shared is then true).
func (x *execution) newMapName() (string, bool) {
	addr := addrs.ObjectOf(x.act.Address)
	self := x.rec.p.Objects[addr]
	ma := self.Desired.Map
	name := ma.Dataverse + " - " + ma.FinOps
	n := 0
	for _, o := range x.rec.p.Objects {
		if o.Kind == "table_map" && o.Link == self.Link && o.Desired != nil && o.Desired.Map != nil &&
			strings.EqualFold(o.Desired.Map.FinOps, ma.FinOps) && strings.EqualFold(o.Desired.Map.Dataverse, ma.Dataverse) {
			n++
		}
	}
	if n < 2 {
		return name, false
	}
	return name + " (" + addrs.NameOf(addr) + ")", true
}

// findMapNamed finds the map with the given display name.
func (x *execution) findMapNamed(ctx context.Context, cp providers.ControlPlane, info providers.LinkInfo, name string) (providers.Map, bool, error) {
	maps, err := cp.Maps(ctx, info)
	if err != nil {
		return providers.Map{}, false, err
	}
	for _, m := range maps {
		if strings.EqualFold(m.DisplayName, name) {
			return m, true, nil
		}
	}
	return providers.Map{}, false, nil
}

// solutionOf is the unmanaged solution under whose publisher dwctl saves
// map versions: the publisher is dwctl.publisher, its prefix the first
// eight of its letters and digits.
func solutionOf(publisher string) providers.SolutionSpec {
	prefix := strings.ToLower(strings.ReplaceAll(publisher, "_", ""))
	if len(prefix) > 8 {
		prefix = prefix[:8]
	}
	if len(prefix) < 2 {
		prefix += "dw"
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(strings.ToLower(publisher)))
	return providers.SolutionSpec{UniqueName: publisher + "_dwctl_maps", FriendlyName: publisher + " dual-write maps (dwctl)",
		Publisher: publisher, PublisherName: publisher, Prefix: prefix, OptionValuePrefix: 10000 + int(h.Sum32()%90000)}
}

// storeVersion saves def as version Params.Version of the map named name
// the documented way: a msdyn_dualwriteentitymap row in dwctl's unmanaged
// solution, then Apply solution [O]. It returns the map and the new
// version as the gateway then lists them.
func (x *execution) storeVersion(ctx context.Context, p Pair, info providers.LinkInfo, name string, def providers.MapDefinition) (providers.Map, providers.MapTemplate, error) {
	publisher, version := x.act.Params.Publisher, x.act.Params.Version
	sol := solutionOf(publisher)
	doc, err := live.EncodeMapping(name, def)
	if err != nil {
		return providers.Map{}, providers.MapTemplate{}, err
	}
	row := providers.EntityMap{Name: sol.Prefix + "_[" + name + "]", DisplayName: name, Version: version, Mapping: doc}
	if _, err := p.Dataverse.SaveEntityMap(ctx, sol, row); err != nil {
		return providers.Map{}, providers.MapTemplate{}, err
	}
	if err := p.Control.ApplySolution(ctx, info, sol.UniqueName); err != nil {
		return providers.Map{}, providers.MapTemplate{}, err
	}
	maps, err := p.Control.Maps(ctx, info)
	if err != nil {
		return providers.Map{}, providers.MapTemplate{}, err
	}
	// The map named so first; another on the same tables (whose name the
	// service may spell its own way) only when none is.
	for _, exact := range []bool{true, false} {
		for _, m := range maps {
			if exact != strings.EqualFold(m.DisplayName, name) || (!exact && !strings.EqualFold(m.DataverseEntitySet, def.DataverseEntitySet)) {
				continue
			}
			for _, t := range m.Versions {
				if t.Version == version && strings.EqualFold(t.Author, sol.PublisherName) {
					return m, t, nil
				}
			}
		}
	}
	return providers.Map{}, providers.MapTemplate{}, fmt.Errorf("solution %s was applied, but the gateway lists no version %s by %s of %s", sol.UniqueName, version, sol.PublisherName, name)
}

// initialised returns the map with a project: a map that has none is
// initialised first (action 8), as the workspace does before it switches
// versions or starts [O].
func (x *execution) initialised(ctx context.Context, cp providers.ControlPlane, info providers.LinkInfo, m providers.Map) (providers.Map, error) {
	if m.ProjectID != "" {
		return m, nil
	}
	if err := x.act1(ctx, cp, info, providers.ActionInitialize, m, providers.ActionOptions{}); err != nil {
		return m, err
	}
	maps, err := cp.Maps(ctx, info)
	if err != nil {
		return m, err
	}
	for _, n := range maps {
		if n.TemplateID == m.TemplateID || hasVersion(n, m.Active.ID) {
			if n.ProjectID == "" {
				return n, fmt.Errorf("%s was initialised but has no project", n.DisplayName)
			}
			return n, nil
		}
	}
	return m, fmt.Errorf("%s is no longer listed after it was initialised", m.DisplayName)
}

// act1 runs one control-plane action on a map and waits for it.
func (x *execution) act1(ctx context.Context, cp providers.ControlPlane, info providers.LinkInfo, action providers.MapAction, m providers.Map, opts providers.ActionOptions) error {
	id, err := cp.Act(ctx, info, action, []providers.Map{m}, opts)
	if err != nil {
		return err
	}
	_, err = cp.Wait(ctx, info, id)
	return err
}

// saveVersion saves the declared fields and filters as a new version of a
// map and activates it.
func (x *execution) saveVersion(ctx context.Context, p Pair, info providers.LinkInfo) error {
	m, err := x.mustFindMap(ctx, p.Control, info)
	if err != nil {
		return err
	}
	if m, err = x.initialised(ctx, p.Control, info, m); err != nil {
		return err
	}
	def, err := p.Control.MapDefinition(ctx, info, m)
	if err != nil {
		return err
	}
	want := definition(x.attrs().Map)
	def.FinOpsFilter, def.DataverseFilter, def.Fields = want.FinOpsFilter, want.DataverseFilter, want.Fields
	m, t, err := x.storeVersion(ctx, p, info, m.DisplayName, def)
	if err != nil {
		return err
	}
	if err := p.Control.SwitchVersion(ctx, info, m, t.ID); err != nil {
		return err
	}
	x.setTemplate(t.ID)
	x.message = "version " + t.Version + " by " + t.Author + " is active"
	return nil
}

// switchVersion activates the pinned version of a map: the template the
// plan names, or (from a plan that names none) the version it pins.
func (x *execution) switchVersion(ctx context.Context, cp providers.ControlPlane, info providers.LinkInfo) error {
	m, err := x.mustFindMap(ctx, cp, info)
	if err != nil {
		return err
	}
	if m, err = x.initialised(ctx, cp, info, m); err != nil {
		return err
	}
	target := x.act.Params.TargetTemplateID
	for _, v := range append([]providers.MapTemplate{m.Active}, m.Versions...) {
		if v.ID == target || target == "" && v.Version == x.act.Params.Version {
			if err := cp.SwitchVersion(ctx, info, m, v.ID); err != nil {
				return err
			}
			x.setTemplate(v.ID)
			return nil
		}
	}
	return fmt.Errorf("%s has no version %s", m.DisplayName, x.act.Params.Version)
}

// transition starts, stops, pauses or resumes a map. A start with the
// service's initial sync is not waited for: its initial_sync action waits.
func (x *execution) transition(ctx context.Context, cp providers.ControlPlane, info providers.LinkInfo, action providers.MapAction) error {
	m, err := x.mustFindMap(ctx, cp, info)
	if err != nil {
		return err
	}
	opts := providers.ActionOptions{SkipInitialSync: x.act.Params.SkipInitialSync, Master: x.act.Params.Master}
	if action == providers.ActionStart {
		if m, err = x.beforeStart(ctx, cp, info, m, opts); err != nil {
			return err
		}
	}
	if action != providers.ActionStart || opts.SkipInitialSync {
		return x.act1(ctx, cp, info, action, m, opts)
	}
	id, err := cp.Act(ctx, info, action, []providers.Map{m}, opts)
	if err != nil {
		return err
	}
	x.a.mu.Lock()
	x.a.requests[addrs.ObjectOf(x.act.Address)] = id
	x.a.mu.Unlock()
	x.message = strings.TrimPrefix(x.message+"; initial sync requested (request "+string(id)+")", "; ")
	return nil
}

// deleteMap ends the management of a stopped map. The control plane has no
// call that deletes a map [O]: a stopped map stays listed, as in the
// dual-write workspace.
func (x *execution) deleteMap(ctx context.Context, cp providers.ControlPlane, info providers.LinkInfo) error {
	m, found, err := x.findMap(ctx, cp, info)
	if err != nil || !found {
		return err
	}
	switch m.State {
	case providers.StateRunning, providers.StatePaused, providers.StateInitialSync, providers.StateCatchUp:
		return fmt.Errorf("%s is %s; it must be stopped before it is removed", m.DisplayName, m.State)
	}
	x.message = m.DisplayName + " is stopped and no longer managed"
	return nil
}

// beforeStart does what the workspace does before a map starts [O]: it
// initialises a map without a project, refreshes its tables and, before an
// initial sync, reads the maps the service wants run first, naming in the
// action's message those that are not running.
func (x *execution) beforeStart(ctx context.Context, cp providers.ControlPlane, info providers.LinkInfo, m providers.Map, opts providers.ActionOptions) (providers.Map, error) {
	m, err := x.initialised(ctx, cp, info, m)
	if err != nil {
		return m, err
	}
	if err := cp.RefreshTables(ctx, info, m); err != nil {
		return m, err
	}
	if opts.SkipInitialSync {
		return m, nil
	}
	pre, err := cp.Prerequisites(ctx, info, m.Active.ID)
	if err != nil || len(pre) == 0 {
		return m, err
	}
	maps, err := cp.Maps(ctx, info)
	if err != nil {
		return m, err
	}
	var idle []string
	for _, id := range pre {
		for _, n := range maps {
			if (n.TemplateID == id || n.Active.ID == id) && n.State != providers.StateRunning {
				idle = append(idle, n.DisplayName)
			}
		}
	}
	if len(idle) > 0 {
		x.message = "the service runs " + strings.Join(idle, ", ") + " before this map, and they are not running"
	}
	return m, nil
}
