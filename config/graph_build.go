package config

import (
	"github.com/dwctl/dwctl/addrs"
	"github.com/hashicorp/hcl/v2"
)

// buildGraph resolves depends_on and records every reference between
// objects: link → environments, companies/keys/maps/sequences → link,
// maps → the integration key of their table and the maps they depend on.
func (l *loader) buildGraph() {
	g := l.cfg.Graph
	for _, e := range l.cfg.Environments {
		g.Add(e.Addr())
	}
	for _, lk := range l.cfg.Links {
		g.Add(lk.Addr())
		for _, e := range []*Environment{lk.FinOps, lk.Dataverse} {
			if e != nil {
				g.Connect(lk.Addr(), e.Addr())
			}
		}
	}
	for _, c := range l.cfg.Companies {
		l.connectLink(c.Address, c.Link)
	}
	companies := map[*Link][]string{}
	for _, c := range l.cfg.Companies {
		companies[c.Link] = append(companies[c.Link], c.Address)
	}
	keys := map[tableKey]string{}
	for _, k := range l.cfg.IntegrationKeys {
		l.connectLink(k.Address, k.Link)
		keys[tableKey{k.Link, EntitySetName(k.Table)}] = k.Address
		if k.Link == nil {
			continue
		}
		for _, c := range companies[k.Link] {
			g.Connect(k.Address, c)
		}
	}
	for _, ns := range l.cfg.NumberSequences {
		l.connectLink(ns.Address, ns.Link)
	}
	for _, m := range l.cfg.TableMaps {
		l.connectLink(m.Address, m.Link)
		if k, ok := keys[tableKey{m.Link, m.Dataverse}]; ok && m.Link != nil {
			g.Connect(m.Address, k)
		}
	}
	for _, d := range l.pendingDeps {
		for _, to := range l.resolveMapRef(d.to) {
			d.from.DependsOn = append(d.from.DependsOn, to)
			g.Connect(d.from.Address, to)
		}
	}
}

func (l *loader) connectLink(addr string, lk *Link) {
	l.cfg.Graph.Add(addr)
	if lk != nil {
		l.cfg.Graph.Connect(addr, lk.Addr())
	}
}

// resolveMapRef returns the addresses a table_map reference names: one
// instance, or every instance of a for_each block.
func (l *loader) resolveMapRef(r ref) []string {
	if r.key != nil {
		addr := r.String()
		if _, ok := l.cfg.TableMaps[addr]; ok {
			return []string{addr}
		}
	}
	if l.mapsByName == nil {
		l.mapsByName = map[string][]string{}
		for addr, m := range l.cfg.TableMaps {
			l.mapsByName[m.Name] = append(l.mapsByName[m.Name], addr)
		}
	}
	var out []string
	if r.key == nil {
		out = l.mapsByName[r.name]
	}
	if len(out) == 0 {
		names := make([]string, 0, len(l.mapsByName))
		for n := range l.mapsByName {
			names = append(names, n)
		}
		if r.key != nil && contains(names, r.name) {
			l.errorf(r.rng, "Reference to undeclared table map instance", "%s has no instance with the key %q.", addrs.NewObject(addrs.TableMap, r.name), *r.key)
			return nil
		}
		l.undeclared(r, uniqueSorted(names))
	}
	return sortedStrings(out)
}

func declRange(v any) hcl.Range {
	switch o := v.(type) {
	case *Company:
		return o.DeclRange
	case *TableMap:
		return o.DeclRange
	case *IntegrationKey:
		return o.DeclRange
	case *NumberSequence:
		return o.DeclRange
	case *Link:
		return o.DeclRange
	}
	return hcl.Range{}
}
