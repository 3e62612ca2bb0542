package planner

import (
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/filter"
	"github.com/dwctl/dwctl/providers"
)

// liveObject is one object found in a pair, normalised like a desired one.
type liveObject struct {
	kind     string
	identity map[string]string
	attrs    *Attributes
	// m is the live map of a table_map; state its service state.
	m *LiveMap
	// teamUnknown is set for a company whose owning team was not read.
	teamUnknown bool
}

// liveObjects lists the objects of one pair.
func liveObjects(link string, l *Live) []*liveObject {
	if l == nil || l.Link == nil {
		return nil
	}
	var out []*liveObject
	la := &LinkAttrs{FinOps: l.linkHost(l.Link.FinOpsEnvironment), Dataverse: l.linkHost(l.Link.DataverseEnvironment)}
	if l.Copied() {
		// The link names another environment than the one the URL reaches,
		// whatever the host looks like: a copied database.
		la.Dataverse = "environment " + l.Link.DataverseEnvironmentID
	}
	for _, a := range l.Alerts {
		la.Alerts = append(la.Alerts, AlertAttrs{Name: a.Name, Errors: a.Errors, Count: a.Count,
			Within: a.Within.String(), Action: a.Action, Recipients: a.Recipients})
	}
	la.Alerts = normAlerts(la.Alerts)
	out = append(out, &liveObject{kind: "link", identity: map[string]string{"link": link, "finops": la.FinOps},
		attrs: &Attributes{Link: la}})
	out = append(out, liveCompanies(link, l)...)
	for _, t := range sortedKeys(l.IntegrationKeys) {
		lt := strings.ToLower(t)
		out = append(out, &liveObject{kind: "integration_key", identity: map[string]string{"link": link, "table": lt},
			attrs: &Attributes{Key: &KeyAttrs{Table: lt, Columns: lowerAll(l.IntegrationKeys[t])}}})
	}
	for i := range l.Maps {
		out = append(out, liveMapObject(link, l, &l.Maps[i]))
	}
	return out
}

func liveCompanies(link string, l *Live) []*liveObject {
	names := map[string]string{}
	for _, c := range l.Companies {
		names[strings.ToUpper(c.Code)] = strings.TrimSpace(c.Name)
	}
	var out []*liveObject
	for _, e := range l.LegalEntities {
		id := strings.ToUpper(e.Code)
		name, ok := names[id]
		if !ok {
			name = strings.TrimSpace(e.Name)
		}
		team, known := l.OwningTeams[id]
		out = append(out, &liveObject{kind: "company", identity: map[string]string{"link": link, "id": id},
			attrs: &Attributes{Company: &CompanyAttrs{ID: id, Name: name, OwningTeam: team}}, teamUnknown: !known})
	}
	return out
}

// liveMapObject normalises a live map. Its state is the desired-state word
// the service state amounts to: initial sync and catch-up are on their way
// to running; never-run and none are stopped.
func liveMapObject(link string, l *Live, m *LiveMap) *liveObject {
	a := &MapAttrs{FinOps: l.finOpsSet(*m), Dataverse: strings.ToLower(m.DataverseEntitySet),
		Version: m.Active.Version, State: stateWord(m.State)}
	if d := m.Definition; d != nil {
		if d.DataverseEntitySet != "" {
			a.Dataverse = strings.ToLower(d.DataverseEntitySet)
		}
		a.FinOpsFilter = canonicalFilter(filter.FinOps, d.FinOpsFilter)
		a.DataverseFilter = canonicalFilter(filter.Dataverse, d.DataverseFilter)
		for _, f := range d.Fields {
			a.Fields = append(a.Fields, FieldAttrs{FinOps: f.FinOps, Dataverse: f.Dataverse,
				Direction: directionNames[f.Direction], ValueMap: f.ValueMap, Default: f.Default})
		}
		a.Fields = normFields(a.Fields)
	}
	return &liveObject{kind: "table_map", identity: mapIdentity(link, a), attrs: &Attributes{Map: a}, m: m}
}

func stateWord(s providers.MapState) string {
	switch s {
	case providers.StateRunning, providers.StateInitialSync, providers.StateCatchUp:
		return string(config.Running)
	case providers.StatePaused:
		return string(config.Paused)
	}
	return string(config.Stopped)
}

// liveSequence finds the live state of a declared number sequence; nil
// when neither side exists.
func liveSequence(l *Live, d *SequenceAttrs) *Attributes {
	if l == nil {
		return nil
	}
	out := &SequenceAttrs{}
	if f := d.FinOps; f != nil {
		for _, s := range l.Sequences {
			if strings.EqualFold(s.Code, f.Code) && scopeName(s.ScopeType) == f.Scope &&
				(f.Scope == "shared" || strings.EqualFold(s.ScopeValue, f.Company)) {
				out.FinOps = &FinOpsSeqAttrs{Code: f.Code, Scope: f.Scope, Company: f.Company,
					Format: s.Format, Smallest: s.Smallest, Largest: s.Largest}
			}
		}
	}
	if dv := d.Dataverse; dv != nil {
		if an, ok := l.autoNumber(dv.Table, dv.Column); ok && an.Format != "" {
			out.Dataverse = &AutoNumberAttrs{Table: dv.Table, Column: dv.Column, Format: an.Format}
		}
	}
	if out.FinOps == nil && out.Dataverse == nil {
		return nil
	}
	return &Attributes{Sequence: out}
}

func (l *Live) autoNumber(table, column string) (providers.AutoNumber, bool) {
	for _, a := range l.AutoNumbers {
		if strings.EqualFold(a.Table, table) && strings.EqualFold(a.Column, column) {
			return a, true
		}
	}
	return providers.AutoNumber{}, false
}

// Copied reports whether the link names a Dataverse environment other than
// the one the Dataverse URL reaches: F&O's database was copied from
// another environment (a refresh) and its link still points at the
// source's Dataverse, or the Dataverse was replaced under its URL.
func (l *Live) Copied() bool {
	return l.Link != nil && l.Link.DataverseEnvironmentID != "" && l.DataverseOrganization.EnvironmentID != "" &&
		!strings.EqualFold(l.Link.DataverseEnvironmentID, l.DataverseOrganization.EnvironmentID)
}

// linkHost is the host a live link names, "emulator:NAME" for a loopback
// host of an emulated pair.
func (l *Live) linkHost(url string) string {
	h := hostOf(url)
	if l.Emulator == "" {
		return h
	}
	name := h
	if i := strings.LastIndexByte(name, ':'); i >= 0 && !strings.HasSuffix(name, "]") {
		name = name[:i]
	}
	switch strings.Trim(name, "[]") {
	case "127.0.0.1", "localhost", "::1":
		return "emulator:" + l.Emulator
	}
	return h
}
