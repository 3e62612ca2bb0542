package planner

import (
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// identityKey is the exact match key of an object.
func identityKey(kind string, id map[string]string) string {
	return kind + " " + IdentityText(id)
}

// looseKey is the key objects are paired by when no exact identity
// matches: for a map the link and the two tables (its filters may have been
// edited), for other objects the exact key.
func looseKey(kind string, id map[string]string) string {
	if kind != "table_map" {
		return identityKey(kind, id)
	}
	return identityKey(kind, map[string]string{"link": id["link"], "finops": id["finops"], "dataverse": id["dataverse"]})
}

// matcher pairs objects with the live objects of their pair.
type matcher struct {
	exact map[string][]*liveObject
	loose map[string][]*liveObject
	used  map[*liveObject]bool
	all   []*liveObject
}

func newMatcher(lives map[string]*Live) *matcher {
	m := &matcher{exact: map[string][]*liveObject{}, loose: map[string][]*liveObject{}, used: map[*liveObject]bool{}}
	for _, name := range sortedKeys(lives) {
		for _, o := range liveObjects(name, lives[name]) {
			m.all = append(m.all, o)
			m.exact[identityKey(o.kind, o.identity)] = append(m.exact[identityKey(o.kind, o.identity)], o)
			m.loose[looseKey(o.kind, o.identity)] = append(m.loose[looseKey(o.kind, o.identity)], o)
		}
	}
	return m
}

// take returns the first unused live object under key in idx.
func (m *matcher) take(idx map[string][]*liveObject, key string) *liveObject {
	for _, o := range idx[key] {
		if !m.used[o] {
			m.used[o] = true
			return o
		}
	}
	return nil
}

// takeBest is take for a declared object: among several unused live
// objects under key (two maps on one table pair with the same filters: a
// map the service published and the one dwctl made), the first whose
// attributes are the desired ones, else the first.
func (m *matcher) takeBest(idx map[string][]*liveObject, key string, want *Attributes) *liveObject {
	if want != nil {
		for _, o := range idx[key] {
			if !m.used[o] && equal(want, mask(o.attrs, want)) {
				m.used[o] = true
				return o
			}
		}
	}
	return m.take(idx, key)
}

// bind matches each identity with a live object: every exact match first,
// then the loose matches in the order given. wants, when given, are the
// desired attributes of each, to choose among equal identities.
func (m *matcher) bind(kinds []string, ids []map[string]string, wants ...*Attributes) []*liveObject {
	out := make([]*liveObject, len(ids))
	for i, id := range ids {
		var want *Attributes
		if i < len(wants) {
			want = wants[i]
		}
		out[i] = m.takeBest(m.exact, identityKey(kinds[i], id), want)
	}
	for i, id := range ids {
		if out[i] == nil {
			out[i] = m.take(m.loose, looseKey(kinds[i], id))
		}
	}
	return out
}

// unused returns the live objects nothing matched.
func (m *matcher) unused() []*liveObject {
	var out []*liveObject
	for _, o := range m.all {
		if !m.used[o] {
			out = append(out, o)
		}
	}
	return out
}

// mask returns a copy of live without what ref does not manage: attributes
// the configuration leaves to the service (owning team, alerts, a version
// when none is pinned, a side of a number sequence not declared) never
// differ. Seeds are not attributes of a live column (see seedChange).
func mask(live, ref *Attributes) *Attributes {
	if live == nil || ref == nil {
		return live
	}
	c := *live
	switch {
	case c.Company != nil && ref.Company != nil:
		v := *c.Company
		if ref.Company.OwningTeam == "" {
			v.OwningTeam = ""
		}
		c.Company = &v
	case c.Link != nil && ref.Link != nil:
		v := *c.Link
		if len(ref.Link.Alerts) == 0 {
			v.Alerts = nil
		}
		c.Link = &v
	case c.Map != nil && ref.Map != nil:
		v := *c.Map
		if ref.Map.Version == "" {
			v.Version = ""
		}
		c.Map = &v
	case c.Sequence != nil && ref.Sequence != nil:
		v := SequenceAttrs{FinOps: c.Sequence.FinOps, Dataverse: c.Sequence.Dataverse}
		if ref.Sequence.FinOps == nil {
			v.FinOps = nil
		}
		if ref.Sequence.Dataverse == nil {
			v.Dataverse = nil
		}
		c.Sequence = &v
	}
	return &c
}

// withoutSeed returns a copy of a without the autonumber seed.
func withoutSeed(a *Attributes) *Attributes {
	if a == nil || a.Sequence == nil || a.Sequence.Dataverse == nil || a.Sequence.Dataverse.Seed == nil {
		return a
	}
	c, s, d := *a, *a.Sequence, *a.Sequence.Dataverse
	d.Seed = nil
	s.Dataverse = &d
	c.Sequence = &s
	return &c
}

// compareOptions are the go-cmp options of every comparison: the
// normalisers have done the rest, so empty and nil collections are the
// only remaining equivalence.
var compareOptions = cmp.Options{
	cmpopts.EquateEmpty(),
	cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		return ok && sf.Name() == "FinOpsFilter"
	}, cmp.Comparer(func(a, b string) bool { return foldFinOpsFilter(a) == foldFinOpsFilter(b) })),
}

// equal reports whether desired and (masked) live attributes agree.
func equal(desired, live *Attributes) bool {
	return cmp.Equal(withoutSeed(desired), withoutSeed(live), compareOptions)
}

// changes returns the attribute differences from before to after.
func changes(before, after *Attributes) []Change {
	c, _ := diffAttrs(withoutSeed(before), withoutSeed(after))
	return c
}

// diffAttrs compares the attributes as they are, so that a change of a
// sensitive value shows as a change, then redacts the values of the
// sensitive ones.
func diffAttrs(before, after *Attributes) ([]Change, int) {
	var b, a []Node
	var sensitive []string
	if before != nil {
		b, sensitive = before.plainTree(), before.Sensitive
	}
	if after != nil {
		a, sensitive = after.plainTree(), append(sensitive, after.Sensitive...)
	}
	cs, same := diffTrees(b, a)
	return redactChanges(cs, sensitive, ""), same
}
