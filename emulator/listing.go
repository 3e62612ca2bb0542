package emulator

import (
	"context"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
)

// listRequest is one page request against a table.
type listRequest struct {
	t        *store.Table
	filter   rowFilter
	orderBy  []orderTerm
	afterID  string // keyset continuation (no $orderby)
	offset   int    // rows of the filtered, ordered result to skip
	limit    int    // page size
	countAll bool   // also count every matching row
	company  string // F&O: only rows of this company ("" = every company)
}

type listResult struct {
	rows  []store.Row
	more  bool
	total int
}

// list reads one page. Without $orderby it walks the rows in id order from afterID and stops after
// limit+1 matches, so deep pages stay cheap; with $orderby it sorts all matches.
func (e *Emulator) list(ctx context.Context, lr listRequest) (listResult, error) {
	var res listResult
	if rows, ok, err := e.indexed(ctx, lr); err != nil || ok {
		return pageOf(rows, lr), err
	}
	if lr.countAll {
		n, err := e.countMatches(ctx, lr)
		if err != nil {
			return res, err
		}
		res.total = n
	}
	if len(lr.orderBy) > 0 {
		return e.listSorted(ctx, lr, res)
	}
	skip := lr.offset
	err := e.store.Scan(ctx, lr.t.Service, lr.t.Name, lr.afterID, func(r store.Row) (bool, error) {
		ok, err := lr.matches(ctx, r)
		if err != nil || !ok {
			return true, err
		}
		if skip > 0 {
			skip--
			return true, nil
		}
		if len(res.rows) == lr.limit {
			res.more = true
			return false, nil
		}
		res.rows = append(res.rows, r)
		return true, nil
	})
	return res, err
}

// pageOf cuts the page lr asks for out of all its matching rows (in id
// order): after afterID, or ordered by $orderby, then offset and limit.
func pageOf(all []store.Row, lr listRequest) listResult {
	res := listResult{total: len(all)}
	if len(lr.orderBy) > 0 {
		sortRows(all, lr.orderBy)
	} else if lr.afterID != "" {
		i := sort.Search(len(all), func(i int) bool { return all[i].ID > lr.afterID })
		all = all[i:]
	}
	if lr.offset >= len(all) {
		return res
	}
	all = all[lr.offset:]
	if len(all) > lr.limit {
		all, res.more = all[:lr.limit], true
	}
	res.rows = all
	return res
}

func (e *Emulator) listSorted(ctx context.Context, lr listRequest, res listResult) (listResult, error) {
	var all []store.Row
	err := e.store.Scan(ctx, lr.t.Service, lr.t.Name, "", func(r store.Row) (bool, error) {
		ok, err := lr.matches(ctx, r)
		if ok {
			all = append(all, r)
		}
		return true, err
	})
	if err != nil {
		return res, err
	}
	sortRows(all, lr.orderBy)
	if lr.offset >= len(all) {
		return res, nil
	}
	all = all[lr.offset:]
	if len(all) > lr.limit {
		all, res.more = all[:lr.limit], true
	}
	res.rows = all
	return res, nil
}

func (e *Emulator) countMatches(ctx context.Context, lr listRequest) (int, error) {
	if lr.filter == nil && lr.company == "" {
		return e.store.Count(ctx, lr.t.Service, lr.t.Name)
	}
	n := 0
	err := e.store.Scan(ctx, lr.t.Service, lr.t.Name, "", func(r store.Row) (bool, error) {
		ok, err := lr.matches(ctx, r)
		if ok {
			n++
		}
		return true, err
	})
	return n, err
}

func (lr listRequest) matches(ctx context.Context, r store.Row) (bool, error) {
	if lr.company != "" && lr.t.CompanyColumn != "" {
		c, _ := r.Data[lr.t.CompanyColumn].(string)
		if !strings.EqualFold(c, lr.company) {
			return false, nil
		}
	}
	if lr.filter == nil {
		return true, nil
	}
	return lr.filter.match(ctx, r.Data)
}

// preferences parses the Prefer headers of a request: name → value ("" for flags).
func preferences(h []string) map[string]string {
	out := map[string]string{}
	for _, line := range h {
		for _, p := range splitTop(line, ',') {
			name, val, _ := strings.Cut(strings.TrimSpace(p), "=")
			out[strings.ToLower(strings.TrimSpace(name))] = strings.Trim(strings.TrimSpace(val), `"`)
		}
	}
	return out
}
