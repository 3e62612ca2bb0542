package wire

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/store"
)

// ListRequest is one page request against a table.
type ListRequest struct {
	Table    *store.Table
	Filter   RowFilter
	OrderBy  []OrderTerm
	AfterID  string // keyset continuation (no $orderby)
	Offset   int    // rows of the filtered, ordered result to skip
	Limit    int    // page size
	CountAll bool   // also count every matching row
	Company  string // F&O: only rows of this company ("" = every company)
}

type ListResult struct {
	Rows  []store.Row
	More  bool
	Total int
}

// list reads one page. Without $orderby it walks the rows in id order from afterID and stops after
// limit+1 matches, so deep pages stay cheap; with $orderby it sorts all matches.
func List(ctx context.Context, st *store.Store, lr ListRequest) (res ListResult, err error) {
	defer func() { Charge(ctx, time.Duration(len(res.Rows))*RowReadCost) }()
	if rows, ok, err := indexed(ctx, st, lr); err != nil || ok {
		return pageOf(rows, lr), err
	}
	if lr.CountAll {
		n, err := CountMatches(ctx, st, lr)
		if err != nil {
			return res, err
		}
		res.Total = n
	}
	if len(lr.OrderBy) > 0 {
		return listSorted(ctx, st, lr, res)
	}
	skip := lr.Offset
	err = st.Scan(ctx, lr.Table.Service, lr.Table.Name, lr.AfterID, func(r store.Row) (bool, error) {
		ok, err := lr.matches(ctx, r)
		if err != nil || !ok {
			return true, err
		}
		if skip > 0 {
			skip--
			return true, nil
		}
		if len(res.Rows) == lr.Limit {
			res.More = true
			return false, nil
		}
		res.Rows = append(res.Rows, r)
		return true, nil
	})
	return res, err
}

// pageOf cuts the page lr asks for out of all its matching rows (in id
// order): after afterID, or ordered by $orderby, then offset and limit.
func pageOf(all []store.Row, lr ListRequest) ListResult {
	res := ListResult{Total: len(all)}
	if len(lr.OrderBy) > 0 {
		SortRows(all, lr.OrderBy)
	} else if lr.AfterID != "" {
		i := sort.Search(len(all), func(i int) bool { return all[i].ID > lr.AfterID })
		all = all[i:]
	}
	if lr.Offset >= len(all) {
		return res
	}
	all = all[lr.Offset:]
	if len(all) > lr.Limit {
		all, res.More = all[:lr.Limit], true
	}
	res.Rows = all
	return res
}

func listSorted(ctx context.Context, st *store.Store, lr ListRequest, res ListResult) (ListResult, error) {
	var all []store.Row
	err := st.Scan(ctx, lr.Table.Service, lr.Table.Name, "", func(r store.Row) (bool, error) {
		ok, err := lr.matches(ctx, r)
		if ok {
			all = append(all, r)
		}
		return true, err
	})
	if err != nil {
		return res, err
	}
	SortRows(all, lr.OrderBy)
	if lr.Offset >= len(all) {
		return res, nil
	}
	all = all[lr.Offset:]
	if len(all) > lr.Limit {
		all, res.More = all[:lr.Limit], true
	}
	res.Rows = all
	return res, nil
}

func CountMatches(ctx context.Context, st *store.Store, lr ListRequest) (int, error) {
	if lr.Filter == nil && lr.Company == "" {
		return st.Count(ctx, lr.Table.Service, lr.Table.Name)
	}
	n := 0
	err := st.Scan(ctx, lr.Table.Service, lr.Table.Name, "", func(r store.Row) (bool, error) {
		ok, err := lr.matches(ctx, r)
		if ok {
			n++
		}
		return true, err
	})
	return n, err
}

func (lr ListRequest) matches(ctx context.Context, r store.Row) (bool, error) {
	if lr.Company != "" && lr.Table.CompanyColumn != "" {
		c, _ := r.Data[lr.Table.CompanyColumn].(string)
		if !strings.EqualFold(c, lr.Company) {
			return false, nil
		}
	}
	if lr.Filter == nil {
		return true, nil
	}
	return lr.Filter.Match(ctx, r.Data)
}

// Preferences parses the Prefer headers of a request: name → value ("" for flags).
func Preferences(h []string) map[string]string {
	out := map[string]string{}
	for _, line := range h {
		for _, p := range splitTop(line, ',') {
			name, val, _ := strings.Cut(strings.TrimSpace(p), "=")
			out[strings.ToLower(strings.TrimSpace(name))] = strings.Trim(strings.TrimSpace(val), `"`)
		}
	}
	return out
}

// UpdateStore runs fn in a store transaction (joining a change set's transaction when there is one).
func UpdateStore(ctx context.Context, st *store.Store, fn func(ctx context.Context) *Error) *Error {
	var aerr *Error
	err := st.Update(ctx, func(ctx context.Context) error {
		if aerr = fn(ctx); aerr != nil {
			return aerr
		}
		Charge(ctx, RowWriteCost)
		return nil
	})
	if aerr != nil {
		return aerr
	}
	if err != nil {
		return StoreError(err)
	}
	return nil
}
