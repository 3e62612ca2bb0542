package planner

import (
	"github.com/dwctl/dwctl/state"
)

// Refreshed returns a copy of st in which every managed object carries
// the fingerprint of its live object now — the drift a plan shows is
// accepted — and the objects that are gone are removed (listed in gone).
// It is what applying a -refresh-only plan, or dwctl refresh, stores.
func Refreshed(st *state.State, lives map[string]*Live) (out *state.State, gone []string) {
	out = st.Clone()
	m := newMatcher(lives)
	for _, addr := range st.Addresses() {
		so := st.Objects[addr]
		applied := stateAttributes(&so)
		now := refreshedObject(m, lives, kindOf(addr), so, applied)
		if now == nil {
			out.RemoveObject(addr)
			gone = append(gone, addr)
			continue
		}
		so.Fingerprint = now.Fingerprint()
		out.SetObject(addr, so)
	}
	return out, gone
}

// refreshedObject finds a managed object live and masks it by what was
// applied, as drift measures it; nil when it is gone.
func refreshedObject(m *matcher, lives map[string]*Live, kind string, so state.Object, applied *Attributes) *Attributes {
	if kind == "number_sequence" {
		if applied == nil || applied.Sequence == nil {
			return nil
		}
		return mask(liveSequence(lives[so.Identity["link"]], applied.Sequence), applied)
	}
	lo := m.bind([]string{kind}, []map[string]string{so.Identity})[0]
	if lo == nil {
		return nil
	}
	if applied == nil {
		return lo.attrs
	}
	return maskLive(lo, applied)
}
