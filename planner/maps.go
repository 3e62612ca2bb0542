package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/mapversion"
	"github.com/hashicorp/hcl/v2"
)

// planMap plans a table map. A change to the fields or filters of a map
// that is not stopped follows the service's rules (DESIGN §5.2): stop,
// save a new version, start again without initial sync, then back to the
// desired state.
func (b *builder) planMap(bd *binding) {
	d, o := bd.obj.Desired.Map, bd.obj
	cm := b.cfg.TableMaps[o.Address]
	if bd.live == nil {
		reason := ReasonNotInLive
		if b.replaced[o.Link] {
			reason = ReasonRecreatedByReset
		}
		b.add(&Action{Address: o.Address, Object: o.Kind, Kind: Create, Reason: reason, After: bd.obj.Desired,
			Params: Params{Publisher: b.publisher(), Version: "1.0.0.0"}})
		b.planReach(bd, cm, "stopped", false)
		return
	}
	l := bd.masked.Map
	defChanged := !equal(&Attributes{Map: definitionOf(d)}, &Attributes{Map: definitionOf(l)})
	pinChanged := d.Version != "" && d.Version != bd.live.m.Active.Version
	if d.Version != "" && defChanged && !pinChanged {
		names := changeNames(changes(withState(bd.masked, ""), withState(bd.obj.Desired, "")), "")
		b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Configuration disagrees with its pinned version",
			Detail: fmt.Sprintf("%s pins version %s, whose definition differs from the configuration in: %s. A pinned version is used as it is: "+
				"make the configuration say what the version holds, or remove version to save the configuration as a new version.",
				o.Address, d.Version, strings.Join(names, ", ")),
			Subject: cm.DeclRange.Ptr()})
		return
	}
	failed := b.syncFailed(cm)
	if !defChanged && !pinChanged {
		if failed && l.State != string(config.Stopped) && d.State != string(config.Stopped) {
			b.planSyncAgain(bd, cm, l.State)
			return
		}
		b.planReach(bd, cm, l.State, false)
		return
	}
	tid := bd.live.m.TemplateID
	wasLive := l.State != string(config.Stopped)
	if wasLive {
		b.add(&Action{Address: o.Address, Object: o.Kind, Kind: Stop, Reason: ReasonEditRequiresStop, Params: Params{TemplateID: tid},
			Notes: []string{"Live sync of this map stops until it starts again; changes made meanwhile are not synced."}})
	}
	edit := &Action{Address: o.Address, Object: o.Kind, Kind: SaveVersion, Reason: ReasonDefinitionChanged,
		Before: bd.masked, After: bd.obj.Desired, Changes: changes(withState(bd.masked, ""), withState(bd.obj.Desired, "")),
		Params: Params{TemplateID: tid, Publisher: b.publisher(), Version: nextVersion(bd.live.m)}}
	if pinChanged {
		edit.Kind, edit.Reason, edit.Params.Version, edit.Params.Publisher = SwitchVersion, ReasonVersionPinned, d.Version, ""
		edit.Params.TargetTemplateID = b.pinnedTemplate(bd.live.m, cm, d.Version)
	}
	b.add(edit)
	// A map that ran before the edit restarts without initial sync: its
	// rows are in sync, unless its last initial sync failed. A stopped one
	// starts as its configuration says.
	b.planReach(bd, cm, string(config.Stopped), wasLive && !failed)
}

// changeNames lists the innermost attributes that changed, as paths:
// "filter.dataverse", `field "NAME" "name".direction`.
func changeNames(cs []Change, prefix string) []string {
	var out []string
	for _, c := range cs {
		name := prefix + c.Name
		if len(c.Nested) > 0 {
			out = append(out, changeNames(c.Nested, name+".")...)
			continue
		}
		out = append(out, name)
	}
	return out
}

// syncFailed reports whether state remembers a failed initial sync of a
// map that still asks for one.
func (b *builder) syncFailed(cm *config.TableMap) bool {
	if b.st == nil || cm == nil || cm.InitialSync == nil || !cm.InitialSync.Enabled {
		return false
	}
	cp, ok := b.st.Checkpoint(addrs.InitialSync.Of(cm.Address))
	return ok && cp.Error != ""
}

// lastSyncError describes the remembered failure: its first line.
func (b *builder) lastSyncError(cm *config.TableMap) string {
	cp, _ := b.st.Checkpoint(addrs.InitialSync.Of(cm.Address))
	lines := strings.Split(strings.TrimSpace(cp.Error), "\n")
	msg := strings.TrimSpace(lines[0])
	if len(lines) > 1 {
		msg += " " + strings.TrimSpace(lines[1])
	}
	if len(lines) > 2 {
		msg += fmt.Sprintf(" (and %d more)", len(lines)-2)
	}
	return "The last run failed (" + cp.Updated.UTC().Format("2006-01-02 15:04 MST") + "): " + msg + " Apply runs it again."
}

// planSyncAgain plans the initial sync of a live map whose last one
// failed: dwctl copies the rows again (from its checkpoint); the service
// runs an initial sync only when a map starts, so the map stops and
// starts with it.
func (b *builder) planSyncAgain(bd *binding, cm *config.TableMap, from string) {
	if cm.InitialSync.Mode == "dwctl" {
		master := cm.InitialSync.Master
		if master == "" {
			master = "dataverse"
		}
		sync := &Action{Address: addrs.InitialSync.Of(cm.Address), Object: "table_map", Kind: InitialSync,
			Reason: ReasonInitialSyncFailed, Params: Params{Mode: "dwctl", Master: master}, Notes: []string{b.lastSyncError(cm)}}
		b.sizeInitialSync(sync, cm)
		b.add(sync)
		return
	}
	o := bd.obj
	b.add(&Action{Address: o.Address, Object: o.Kind, Kind: Stop, Reason: ReasonInitialSyncFailed,
		Params: Params{TemplateID: bd.live.m.TemplateID}, Before: withState(bd.masked, from),
		After: withState(bd.obj.Desired, string(config.Stopped)),
		Notes: []string{"The last initial sync failed; the service runs one only when a map starts. Live sync of this map stops until it starts again."}})
	b.planReach(bd, cm, string(config.Stopped), false)
}

// pinnedTemplate finds the version a map pins among the live versions,
// preferring dwctl's publisher when several publishers have it; a version
// the map does not have is an error.
func (b *builder) pinnedTemplate(m *LiveMap, cm *config.TableMap, version string) string {
	found := ""
	for _, t := range m.Versions {
		if t.Version == version && (found == "" || strings.EqualFold(t.Author, b.publisher())) {
			found = t.ID
		}
	}
	if found == "" {
		var have []string
		for _, t := range m.Versions {
			have = append(have, t.Version+" ("+t.Author+")")
		}
		b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Pinned version not found",
			Detail:  fmt.Sprintf("%s pins version %s, which the map does not have. Its versions: %s.", cm.Address, version, strings.Join(have, ", ")),
			Subject: cm.DeclRange.Ptr()})
	}
	return found
}

// planReach plans the transitions from the live state to the desired one.
// afterEdit starts without initial sync (the rows are in sync already).
func (b *builder) planReach(bd *binding, cm *config.TableMap, from string, afterEdit bool) {
	to, o := bd.obj.Desired.Map.State, bd.obj
	if from == to {
		return
	}
	p := Params{}
	if bd.live != nil {
		p.TemplateID = bd.live.m.TemplateID
	}
	reason := ReasonStateChanged
	if afterEdit {
		reason = ReasonRestartAfterEdit
	}
	st := func(k Kind) *Action {
		return b.add(&Action{Address: o.Address, Object: o.Kind, Kind: k, Reason: reason, Params: p,
			Before: withState(bd.masked, from), After: bd.obj.Desired})
	}
	switch {
	case to == string(config.Stopped):
		st(Stop)
	case from == string(config.Paused) && to == string(config.Running):
		st(Resume)
	case from == string(config.Running) && to == string(config.Paused):
		st(Pause)
	default: // from stopped to running or paused
		b.planStart(st, cm, afterEdit)
		if to == string(config.Paused) {
			st(Pause)
		}
	}
}

// planStart plans a start with its initial sync when the map asks for one.
func (b *builder) planStart(st func(Kind) *Action, cm *config.TableMap, afterEdit bool) {
	is := cm.InitialSync
	if afterEdit || is == nil || !is.Enabled {
		a := st(Start)
		a.Params.SkipInitialSync = true
		return
	}
	master := is.Master
	if master == "" {
		master = "dataverse"
	}
	sync := &Action{Address: addrs.InitialSync.Of(cm.Address), Object: "table_map", Kind: InitialSync,
		Reason: ReasonInitialSyncEnabled, Params: Params{Mode: is.Mode, Master: master}}
	if b.syncFailed(cm) {
		sync.Reason = ReasonInitialSyncFailed
		sync.Notes = append(sync.Notes, b.lastSyncError(cm))
	}
	b.sizeInitialSync(sync, cm)
	if is.Mode != "dwctl" {
		b.serviceLimits(sync, cm, master)
	}
	if is.Mode == "dwctl" {
		b.add(sync)
		a := st(Start)
		a.Params.SkipInitialSync, a.Params.Master = true, master
		return
	}
	a := st(Start)
	a.Params.Master = master
	b.add(sync)
}

// definitionOf returns the parts of a map that a new version changes.
func definitionOf(m *MapAttrs) *MapAttrs {
	return &MapAttrs{FinOps: strings.ToLower(m.FinOps), Dataverse: m.Dataverse, FinOpsFilter: m.FinOpsFilter,
		DataverseFilter: m.DataverseFilter, Fields: m.Fields}
}

// withState returns a copy of a map's attributes with another state ("" to
// leave state out of a comparison).
func withState(a *Attributes, s string) *Attributes {
	if a == nil || a.Map == nil {
		return a
	}
	c, m := *a, *a.Map
	m.State = s
	c.Map = &m
	return &c
}

func (b *builder) publisher() string {
	if b.cfg.Settings != nil && b.cfg.Settings.Publisher != "" {
		return b.cfg.Settings.Publisher
	}
	return "dwctl"
}

// nextVersion returns the next revision of the highest version of a map.
// The sentinel 9.9.9.9 some solutions carry is not a real version [O].
func nextVersion(m *LiveMap) string {
	best := [4]int{1, 0, 0, -1}
	for _, t := range append(m.Versions, m.Active) {
		v, err := mapversion.Parse(t.Version)
		if err != nil || t.Version == "9.9.9.9" {
			continue
		}
		if p := mapversion.Parts(v); slices.Compare(p[:], best[:]) > 0 {
			best = p
		}
	}
	best[3]++
	return mapversion.String(best)
}
