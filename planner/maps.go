package planner

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/config"
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
	cp, ok := b.st.Checkpoint("initial_sync." + cm.Address)
	return ok && cp.Error != ""
}

// lastSyncError describes the remembered failure: its first line.
func (b *builder) lastSyncError(cm *config.TableMap) string {
	cp, _ := b.st.Checkpoint("initial_sync." + cm.Address)
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
		sync := &Action{Address: "initial_sync." + cm.Address, Object: "table_map", Kind: InitialSync,
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
	sync := &Action{Address: "initial_sync." + cm.Address, Object: "table_map", Kind: InitialSync,
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

// serviceLimits notes and warns where a service initial sync would pass
// the documented limits [D]: 500,000 rows per company and run, and no
// sync from Dataverse for maps with 10 or more lookups.
func (b *builder) serviceLimits(a *Action, cm *config.TableMap, master string) {
	lookups := 0
	for _, f := range cm.Fields {
		if strings.Contains(f.Dataverse, ".") {
			lookups++
		}
	}
	if master == "dataverse" && lookups >= 10 {
		msg := fmt.Sprintf("The service runs no initial sync from Dataverse for a map with 10 or more lookups (this one has %d); use mode = \"dwctl\".", lookups)
		a.Notes = append(a.Notes, msg)
		b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Initial sync over the service's limits",
			Detail: cm.Address + ": " + msg, Subject: cm.InitialSync.DeclRange.Ptr()})
	}
	if n := a.Counts["finops"]; n > InitialSyncRowLimit {
		a.Notes = append(a.Notes, fmt.Sprintf("F&O holds %s rows; the service syncs at most %s rows per company and run. If one company holds more, use mode = \"dwctl\" (validate -live counts per company).",
			Thousands(n), Thousands(InitialSyncRowLimit)))
	}
}

// sizeInitialSync fills in the row counts of both sides.
func (b *builder) sizeInitialSync(a *Action, cm *config.TableMap) {
	l := b.lives[cm.Link.Name]
	if l == nil {
		return
	}
	if !serviceSync(cm) {
		b.sizeTransfer(a, cm, l.Transfers[cm.Address])
		return
	}
	a.Counts = map[string]int64{}
	if n, ok := l.RowCounts[CountKey("finops", cm.FinOps)]; ok {
		a.Counts["finops"] = n
	}
	if n, ok := l.RowCounts[CountKey("dataverse", strings.ToLower(cm.Dataverse))]; ok {
		a.Counts["dataverse"] = n
	}
	for _, n := range a.Counts {
		a.Rows += n
	}
	for _, side := range []struct{ name, table string }{{"finops", cm.FinOps}, {"dataverse", strings.ToLower(cm.Dataverse)}} {
		prefix := CountKey(side.name, side.table) + ":"
		for k, n := range l.RowCounts {
			if company, ok := strings.CutPrefix(k, prefix); ok && serviceSync(cm) {
				if a.Companies == nil {
					a.Companies = map[string]map[string]int64{}
				}
				if a.Companies[company] == nil {
					a.Companies[company] = map[string]int64{}
				}
				a.Companies[company][side.name] = n
			}
		}
	}
	if t := l.Transfers[cm.Address]; t != nil {
		// What the exported rows do on the other side: new, changed or
		// the same (the service writes them all), and the rows the
		// filters leave out.
		for company, byOutcome := range t.Companies {
			for _, o := range append(slices.Clone(WrittenOutcomes), "unchanged", "filtered") {
				if n := byOutcome[o]; n > 0 {
					if a.Companies == nil {
						a.Companies = map[string]map[string]int64{}
					}
					if a.Companies[company] == nil {
						a.Companies[company] = map[string]int64{}
					}
					a.Companies[company][o] = n
				}
			}
		}
		a.RowChanges = redactRows(cm, t.Rows)
	}
	b.syncErrors(a, cm, l.SyncErrors[cm.Address])
}

// sizeTransfer fills in a dwctl-mode initial sync from its exact preview:
// Rows are the rows the copy writes, Counts its outcomes over all
// companies, Companies the same per company, RowChanges the first row
// differences; rows that would fail are a note and a warning.
func (b *builder) sizeTransfer(a *Action, cm *config.TableMap, t *Transfer) {
	if t == nil {
		return
	}
	a.Counts, a.Companies, a.RowChanges = map[string]int64{}, map[string]map[string]int64{}, redactRows(cm, t.Rows)
	for company, byOutcome := range t.Companies {
		a.Companies[company] = map[string]int64{}
		for o, n := range byOutcome {
			a.Companies[company][o] = n
			a.Counts[o] += n
		}
	}
	for _, o := range WrittenOutcomes {
		a.Rows += a.Counts[o]
	}
	total := a.Counts["errors"]
	if total == 0 {
		return
	}
	noun := "rows"
	if total == 1 {
		noun = "row"
	}
	msg := fmt.Sprintf("%s %s will fail and be left out; the others are copied: %s.", Thousands(total), noun, strings.Join(t.Errors, "; "))
	a.Notes = append(a.Notes, msg)
	b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Initial sync rows that will fail",
		Detail: cm.Address + ": " + msg, Subject: cm.InitialSync.DeclRange.Ptr()})
}

// redactRows hides the values of the fields whose mapping holds a
// sensitive value (a sensitive default or value map).
func redactRows(cm *config.TableMap, rows []RowChange) []RowChange {
	hide := map[string]bool{}
	for i, f := range cm.Fields {
		at := fmt.Sprintf("field[%d]", i)
		if slices.ContainsFunc(cm.Sensitive, func(p string) bool { return p == at || strings.HasPrefix(p, at+"/") }) {
			hide[strings.ToUpper(f.FinOps)], hide[strings.ToLower(f.Dataverse)] = true, true
		}
	}
	if len(hide) == 0 {
		return rows
	}
	out := make([]RowChange, len(rows))
	for i, r := range rows {
		r.Fields = append([]FieldChange(nil), r.Fields...)
		for j, f := range r.Fields {
			if hide[strings.ToUpper(f.Name)] || hide[strings.ToLower(f.Name)] {
				r.Fields[j].Before, r.Fields[j].After = SensitiveText, SensitiveText
			}
		}
		out[i] = r
	}
	return out
}

// WrittenOutcomes are the outcomes of a dwctl-mode initial sync that write
// a row (Transfer.Companies).
var WrittenOutcomes = []string{"dataverse_create", "dataverse_update", "finops_create", "finops_update"}

// syncErrors reports the rows an initial sync is predicted to fail on: in
// the per-company breakdown, as a note, and as a warning at the map's
// initial_sync block. The other rows still sync; the failed sync is
// remembered and planned again.
func (b *builder) syncErrors(a *Action, cm *config.TableMap, e *SyncErrors) {
	if e == nil {
		return
	}
	total := int64(0)
	for company, n := range e.Companies {
		if a.Companies == nil {
			a.Companies = map[string]map[string]int64{}
		}
		if a.Companies[company] == nil {
			a.Companies[company] = map[string]int64{}
		}
		a.Companies[company]["errors"] = n
		total += n
	}
	noun := "rows"
	if total == 1 {
		noun = "row"
	}
	msg := fmt.Sprintf("%s %s will fail: a mandatory F&O field would be empty (%s). Fill the Dataverse rows first, or give the field a default.",
		Thousands(total), noun, strings.Join(e.First, "; "))
	a.Notes = append(a.Notes, msg)
	b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Initial sync rows that will fail",
		Detail: cm.Address + ": " + msg, Subject: cm.InitialSync.DeclRange.Ptr()})
}

// serviceSync reports whether a map's initial sync runs in the service, whose runs
// are per company.
func serviceSync(cm *config.TableMap) bool {
	return cm.InitialSync != nil && cm.InitialSync.Mode != "dwctl"
}

// planBootstrap plans giving company-less Dataverse rows the company.
func (b *builder) planBootstrap(bd *binding) {
	c := b.cfg.Companies[bd.obj.Address]
	l := b.lives[bd.obj.Link]
	if c == nil || c.Bootstrap == nil || l == nil {
		return
	}
	a := &Action{Address: "bootstrap." + c.Address, Object: "company", Kind: Bootstrap, Reason: ReasonCompanyRowsMissing,
		Counts: map[string]int64{}, Params: Params{Tables: c.Bootstrap.Tables, Where: c.Bootstrap.Where}}
	for _, t := range c.Bootstrap.Tables {
		if w := c.Bootstrap.WhereOf(t); w != c.Bootstrap.Where {
			a.Params.Wheres = c.Bootstrap.TableWhere
			break
		}
	}
	if isSensitive(c.Sensitive, "bootstrap/where") {
		a.SensitiveParams = []string{"where"}
	}
	code := strings.ToUpper(c.ID)
	for _, t := range c.Bootstrap.Tables {
		t = strings.ToLower(t)
		n := l.RowCounts[CountKey("bootstrap", code, t)]
		a.Counts[t] = n
		a.Rows += n
		if n := l.RowCounts[CountKey("bootstrap_overlap", code, t)]; n > 0 {
			a.Notes = append(a.Notes, fmt.Sprintf("%s %s %s also match the bootstrap of a company before it, which runs first and gives them its company.",
				Thousands(n), t, rowsWord(n)))
		}
		if n := l.RowCounts[CountKey("bootstrap_taken", code, t)]; n > 0 {
			a.Notes = append(a.Notes, fmt.Sprintf("%s %s %s matching where already belong to another company; bootstrap leaves them as they are.",
				Thousands(n), t, rowsWord(n)))
		}
	}
	if a.Rows > 0 {
		b.add(a)
	}
}

func rowsWord(n int64) string {
	if n == 1 {
		return "row"
	}
	return "rows"
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
	best := []int{1, 0, 0, -1}
	for _, t := range append(m.Versions, m.Active) {
		v, ok := parseVersion(t.Version)
		if ok && t.Version != "9.9.9.9" && compareVersions(v, best) > 0 {
			best = v
		}
	}
	best[3]++
	return fmt.Sprintf("%d.%d.%d.%d", best[0], best[1], best[2], best[3])
}

func parseVersion(s string) ([]int, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return nil, false
	}
	out := make([]int, 4)
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

func compareVersions(a, b []int) int {
	for i := range a {
		if a[i] != b[i] {
			return a[i] - b[i]
		}
	}
	return 0
}
