package planner

import (
	"sort"

	"github.com/dwctl/dwctl/state"
)

// bound is the outcome of matching objects with a pair's live objects.
type bound struct {
	binds   []*binding    // declared objects
	removed []*binding    // managed, no longer declared, still live
	forget  []string      // managed, no longer declared, gone
	unused  []*liveObject // live, neither declared nor managed
}

// bindObjects matches declared objects (in rank and address order, so the
// same inputs always pair the same way) and the managed objects of st with
// the live objects of lives.
func bindObjects(objs []*Object, lives map[string]*Live, st *state.State) bound {
	objs = append([]*Object{}, objs...)
	sort.SliceStable(objs, func(i, j int) bool {
		ri, rj := objectRank(objs[i].Kind), objectRank(objs[j].Kind)
		if ri != rj {
			return ri < rj
		}
		return objs[i].Address < objs[j].Address
	})
	m := newMatcher(lives)
	kinds := make([]string, len(objs))
	ids := make([]map[string]string, len(objs))
	wants := make([]*Attributes, len(objs))
	declared := map[string]bool{}
	for i, o := range objs {
		kinds[i], ids[i], wants[i], declared[o.Address] = o.Kind, o.Identity, o.Desired, true
	}
	var out bound
	for i, lo := range m.bind(kinds, ids, wants...) {
		o := objs[i]
		bd := &binding{obj: o, live: lo, st: stateObject(st, o.Address)}
		if o.Kind == "number_sequence" {
			bd.live = nil
			if a := liveSequence(lives[o.Link], o.Desired.Sequence); a != nil {
				bd.live = &liveObject{kind: o.Kind, identity: o.Identity, attrs: a}
			}
		}
		out.binds = append(out.binds, withMask(bd))
	}
	for _, addr := range st.Addresses() {
		if declared[addr] {
			continue
		}
		so := st.Objects[addr]
		kind := kindOf(addr)
		bd := &binding{obj: &Object{Address: addr, Kind: kind, Link: so.Identity["link"], Identity: so.Identity}, st: &so}
		if kind != "number_sequence" {
			bd.live = m.bind([]string{kind}, []map[string]string{so.Identity})[0]
		}
		if bd.live == nil {
			out.forget = append(out.forget, addr)
			continue
		}
		out.removed = append(out.removed, withMask(bd))
	}
	out.unused = m.unused()
	return out
}

func objectRank(kind string) int {
	if r, ok := rank[kind]; ok {
		return r
	}
	return len(rank)
}

func stateObject(st *state.State, addr string) *state.Object {
	if o, ok := st.Objects[addr]; ok {
		return &o
	}
	return nil
}

// withMask fills bd.masked: the live attributes without what the object
// does not manage.
func withMask(bd *binding) *binding {
	if bd.live == nil {
		return bd
	}
	ref := bd.obj.Desired
	if ref == nil {
		ref = stateAttributes(bd.st)
	}
	bd.masked = maskLive(bd.live, ref)
	return bd
}

// maskLive masks a live object by what ref manages (see mask); an owning
// team that was not read takes ref's, so it is not compared.
func maskLive(lo *liveObject, ref *Attributes) *Attributes {
	m := mask(lo.attrs, ref)
	if m != nil && ref != nil && len(ref.Sensitive) > 0 {
		// What the configuration keeps secret is secret on the live side too.
		c := *m
		c.Sensitive = ref.Sensitive
		m = &c
	}
	if lo.teamUnknown && ref != nil && ref.Company != nil && m.Company != nil {
		c := *m.Company
		c.OwningTeam = ref.Company.OwningTeam
		m.Company = &c
	}
	return m
}

// Fingerprints returns the fingerprint of every object of p as it is in
// lives now, by address, matched exactly as Build matched them. An object
// not found has no entry. The applier records these in state after an
// apply (StateObject), and Stale compares them with the plan's.
func Fingerprints(p *Plan, lives map[string]*Live, st *state.State) map[string]string {
	if st == nil {
		st = state.New()
	}
	objs := make([]*Object, 0, len(p.Objects))
	for _, o := range p.Objects {
		objs = append(objs, o)
	}
	r := bindObjects(objs, lives, st)
	out := map[string]string{}
	for _, bd := range append(r.binds, r.removed...) {
		if bd.masked != nil {
			out[bd.obj.Address] = bd.masked.Fingerprint()
		}
	}
	return out
}
