package planner

import (
	"sort"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/filter"
	"github.com/zclconf/go-cty/cty"
)

// Object is one object of a plan: its natural identity and its desired
// attributes. Plan.Objects holds one per declared object; the applier
// records Identity and Desired in state after applying it.
type Object struct {
	Address string `json:"address"`
	Kind    string `json:"kind"`
	// Link is the name of the link (pair) the object belongs to.
	Link string `json:"link"`
	// Identity is the natural identity (DESIGN §4), normalised.
	Identity map[string]string `json:"identity"`
	Desired  *Attributes       `json:"desired,omitempty"`
}

// desiredObjects returns every declared object in dependency-friendly
// order: links, companies, keys, maps, sequences (each by address).
func desiredObjects(cfg *config.Config, lives map[string]*Live) []*Object {
	var out []*Object
	for _, name := range sortedKeys(cfg.Links) {
		out = append(out, desiredLink(cfg.Links[name]))
	}
	for _, addr := range sortedKeys(cfg.Companies) {
		out = append(out, desiredCompany(cfg.Companies[addr]))
	}
	for _, addr := range sortedKeys(cfg.IntegrationKeys) {
		k := cfg.IntegrationKeys[addr]
		t := strings.ToLower(k.Table)
		out = append(out, &Object{Address: addr, Kind: "integration_key", Link: k.Link.Name,
			Identity: map[string]string{"link": k.Link.Name, "table": t},
			Desired:  &Attributes{Key: &KeyAttrs{Table: t, Columns: lowerAll(k.Columns)}, Sensitive: k.Sensitive}})
	}
	for _, addr := range sortedKeys(cfg.TableMaps) {
		out = append(out, desiredMap(cfg, cfg.TableMaps[addr]))
	}
	for _, addr := range sortedKeys(cfg.NumberSequences) {
		out = append(out, desiredSequence(cfg.NumberSequences[addr]))
	}
	return out
}

func desiredLink(l *config.Link) *Object {
	a := &LinkAttrs{FinOps: envHost(l.FinOps.URL, l.FinOps.Emulator), Dataverse: envHost(l.Dataverse.URL, l.Dataverse.Emulator)}
	for _, al := range l.Alerts {
		a.Alerts = append(a.Alerts, AlertAttrs{Name: al.Name, Errors: al.Errors, Count: al.Count,
			Within: al.Within.String(), Action: al.Action, Recipients: al.Recipients})
	}
	sensitive := treePaths(l.Sensitive, func(kind string, i int) (string, bool) {
		if kind != "alert" || i >= len(l.Alerts) {
			return "", false
		}
		return alertNodeName(AlertAttrs{Name: l.Alerts[i].Name}), true
	})
	a.Alerts = normAlerts(a.Alerts)
	return &Object{Address: l.Addr(), Kind: "link", Link: l.Name,
		Identity: map[string]string{"link": l.Name, "finops": a.FinOps},
		Desired:  &Attributes{Link: a, Sensitive: sensitive}}
}

func desiredCompany(c *config.Company) *Object {
	id := strings.ToUpper(c.ID)
	return &Object{Address: c.Address, Kind: "company", Link: c.Link.Name,
		Identity: map[string]string{"link": c.Link.Name, "id": id},
		Desired: &Attributes{Company: &CompanyAttrs{ID: id, Name: strings.TrimSpace(c.Name), OwningTeam: c.OwningTeam},
			Sensitive: c.Sensitive}}
}

func desiredMap(cfg *config.Config, m *config.TableMap) *Object {
	a := &MapAttrs{FinOps: m.FinOps, Dataverse: strings.ToLower(m.Dataverse), Version: m.Version, State: string(m.State)}
	if a.State == "" {
		a.State = string(config.Running)
	}
	if m.Filter != nil {
		if m.Filter.FinOps != nil {
			a.FinOpsFilter = canonicalFilter(filter.FinOps, m.Filter.FinOps.Value)
		}
		if m.Filter.Dataverse != nil {
			a.DataverseFilter = canonicalFilter(filter.Dataverse, m.Filter.Dataverse.Value)
		}
	}
	for _, f := range m.Fields {
		fa := FieldAttrs{FinOps: f.FinOps, Dataverse: f.Dataverse, Direction: string(f.Direction)}
		if len(f.ValueMap) > 0 {
			fa.ValueMap = map[string]string{}
			for _, p := range f.ValueMap {
				fa.ValueMap[p.FinOps] = ctyString(p.Dataverse)
			}
		}
		if f.Default != cty.NilVal && !f.Default.IsNull() {
			d := ctyString(f.Default)
			fa.Default = &d
		}
		a.Fields = append(a.Fields, fa)
	}
	sensitive := treePaths(m.Sensitive, func(kind string, i int) (string, bool) {
		if kind != "field" || i >= len(a.Fields) {
			return "", false
		}
		return fieldNodeName(normField(a.Fields[i])), true
	})
	a.Fields = normFields(a.Fields)
	return &Object{Address: m.Address, Kind: "table_map", Link: m.Link.Name,
		Identity: mapIdentity(m.Link.Name, a), Desired: &Attributes{Map: a, Sensitive: sensitive}}
}

// mapIdentity is a map's natural identity: F&O entity, Dataverse table and
// the two filters (which tell apart several maps on one pair of tables).
func mapIdentity(link string, a *MapAttrs) map[string]string {
	return map[string]string{"link": link, "finops": strings.ToLower(a.FinOps), "dataverse": a.Dataverse,
		"finops_filter": foldFinOpsFilter(a.FinOpsFilter), "dataverse_filter": a.DataverseFilter}
}

func desiredSequence(n *config.NumberSequence) *Object {
	a := &SequenceAttrs{}
	id := map[string]string{"link": n.Link.Name}
	if f := n.FinOps; f != nil {
		a.FinOps = &FinOpsSeqAttrs{Code: f.Code, Scope: f.Scope, Company: strings.ToUpper(f.Company),
			Format: f.Format, Smallest: f.Smallest, Largest: f.Largest}
		id["code"], id["scope"], id["company"] = strings.ToLower(f.Code), f.Scope, strings.ToUpper(f.Company)
	}
	if d := n.Dataverse; d != nil {
		a.Dataverse = &AutoNumberAttrs{Table: strings.ToLower(d.Table), Column: strings.ToLower(d.Column), Format: d.Format}
		if d.HasSeed {
			s := d.Seed
			a.Dataverse.Seed = &s
		}
		id["table"], id["column"] = a.Dataverse.Table, a.Dataverse.Column
	}
	return &Object{Address: n.Address, Kind: "number_sequence", Link: n.Link.Name, Identity: id,
		Desired: &Attributes{Sequence: a, Sensitive: n.Sensitive}}
}

// envHost is how a link names an environment: its host, or
// "emulator:NAME" for an emulated one.
func envHost(url, emulator string) string {
	if emulator != "" {
		return "emulator:" + emulator
	}
	return hostOf(url)
}

// IdentityText renders an identity for messages and keys: k=v pairs in
// key order.
func IdentityText(id map[string]string) string {
	var parts []string
	for _, k := range sortedKeys(id) {
		if id[k] != "" {
			parts = append(parts, k+"="+strconv.Quote(id[k]))
		}
	}
	return strings.Join(parts, " ")
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
