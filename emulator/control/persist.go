package control

import (
	"context"

	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
)

// loadState returns a copy of the state to work on: of the committed state in memory, or read from
// the store (in the transaction of ctx) when there is none.
func (c *Plane) loadState(ctx context.Context) (*pairstate.State, error) {
	base, gen := c.cache.Get()
	if base == nil {
		var err error
		if base, err = pairstate.Read(ctx, c.store); err != nil {
			return nil, err
		}
		if !store.InTransaction(ctx) { // what a transaction reads may not be committed
			c.cache.Set(base, gen)
		}
	}
	st := base.Clone()
	if l := st.Link; l != nil && (l.Environment == "" || l.Dataset == "") {
		l.Environment, l.Dataset = c.cat.dataverseNames(l.Organization)
	}
	return st, nil
}

// saveState writes the objects of st that changed, in the transaction of ctx, and takes the maps
// that run to the runtime. The caller makes st the committed state once the transaction committed
// (serve), or drops the cache when it cannot tell (alerts).
func (c *Plane) saveState(ctx context.Context, st *pairstate.State) error {
	if err := st.Save(ctx, c.store); err != nil {
		return err
	}
	c.refreshGuard(st)
	return nil
}
