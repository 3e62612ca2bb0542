package wire

import (
	"context"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/filter"
)

// indexed returns every row lr matches, in id order, found through the
// indexes instead of a scan: when each alternative of the filter pins by
// equality the primary id, a whole active alternate key (Dataverse) or
// the entity key (F&O), the candidates are those rows, and the filter
// then decides. It reports false when some alternative pins none of them:
// only a scan finds its rows.
func indexed(ctx context.Context, st *store.Store, lr ListRequest) ([]store.Row, bool, error) {
	f, ok := lr.Filter.(*exprFilter)
	if !ok {
		return nil, false, nil
	}
	alts, ok := filter.Equalities(f.expr)
	if !ok {
		return nil, false, nil
	}
	ids := map[string]bool{}
	for _, eq := range alts {
		id, found, usable, err := keyLookup(ctx, st, lr.Table, eq)
		if err != nil || !usable {
			return nil, false, err
		}
		if found {
			ids[id] = true
		}
	}
	sorted := make([]string, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	var out []store.Row
	for _, id := range sorted {
		r, found, err := st.Get(ctx, lr.Table.Service, lr.Table.Name, id)
		if err != nil {
			return nil, false, err
		}
		if !found {
			continue
		}
		ok, err := lr.matches(ctx, r)
		if err != nil {
			return nil, false, err
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, true, nil
}

// keyLookup finds the id of the row whose primary id, alternate key or
// entity key the equalities pin; usable is false when they pin none.
func keyLookup(ctx context.Context, st *store.Store, t *store.Table, eq map[string]any) (id string, found, usable bool, err error) {
	if t.Service == store.FinOps {
		if len(t.Keys) == 0 {
			return "", false, false, nil
		}
		for _, col := range t.Keys[0].Columns {
			if v, ok := store.LookupFold(eq, col); !ok || v == nil {
				return "", false, false, nil
			}
		}
		id, err := store.FinOpsID(t, eq)
		return id, err == nil, err == nil, nil
	}
	if v, ok := eq[t.PrimaryID].(string); ok && t.PrimaryID != "" {
		return strings.ToLower(v), true, true, nil
	}
	for i := range t.Keys {
		k := &t.Keys[i]
		if k.Status != store.KeyActive {
			continue
		}
		values := map[string]any{}
		for _, col := range k.Columns {
			name := col
			if c, ok := t.Column(col); ok && store.IsLookup(c.Type) {
				name = store.LookupValueName(c.Name)
			}
			v, ok := eq[name]
			if !ok || v == nil || v == "" {
				values = nil
				break
			}
			values[name] = v
		}
		if values == nil {
			continue
		}
		id, found, err := st.LookupKey(ctx, t, k, values)
		return id, found, true, err
	}
	return "", false, false, nil
}
