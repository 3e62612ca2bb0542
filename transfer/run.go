package transfer

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/providers"
)

// phase walks from's rows page by page and writes to to: creations, and
// when update is set the changed columns of rows both sides have.
func (c *Copier) phase(ctx context.Context, name string, from, to *side, skip int64, update bool) error {
	if !to.receives {
		return nil
	}
	seen := int64(0)
	return from.rs.ListRows(ctx, from.set, from.query(c.opts.PageSize), func(rows []providers.Row) error {
		if c.opts.Stop != nil && c.opts.Stop() {
			return ErrStopped
		}
		start := max(0, min(int64(len(rows)), skip-seen))
		seen += int64(len(rows))
		if start == int64(len(rows)) {
			return nil
		}
		written, err := c.page(ctx, from, to, rows[start:], update)
		if err != nil {
			return err
		}
		if c.opts.Page == nil {
			return nil
		}
		return c.opts.Page(ctx, Cursor{Phase: name, Done: seen}, written)
	})
}

// sourceRow is a row of the side a phase walks, with its company.
type sourceRow struct {
	v       valueRow
	company string
}

// page copies one page of from's rows to to and returns the rows written.
func (c *Copier) page(ctx context.Context, from, to *side, rows []providers.Row, update bool) (int64, error) {
	var src []sourceRow
	for _, r := range rows {
		v, err := from.resolve(ctx, r)
		if err != nil {
			return 0, err
		}
		company, in := c.scope(from, v)
		if !in {
			continue
		}
		ok, err := from.selected(v)
		if err != nil {
			return 0, err
		}
		if !ok {
			c.tally.add(company, Filtered, 1)
			continue
		}
		src = append(src, sourceRow{v: v, company: company})
	}
	existing, err := c.counterparts(ctx, from, to, src)
	if err != nil {
		return 0, err
	}
	var writes []providers.Write
	for _, s := range src {
		w, err := c.write(ctx, from, to, s, existing, update)
		var rf rowFailure
		if errors.As(err, &rf) {
			c.tally.fail(RowError{Company: s.company, Side: to.name, Key: from.keyText(s.v), Reason: rf.reason})
			continue
		}
		if err != nil {
			return 0, err
		}
		if w != nil {
			writes = append(writes, *w)
		}
	}
	if len(writes) == 0 || c.opts.Write == nil {
		return int64(len(writes)), nil
	}
	return int64(len(writes)), c.opts.Write(ctx, to.rs, to.set, writes)
}

// scope returns a row's company and whether the run copies it: every row
// of a global map, the rows of the link's companies of a company-specific
// one.
func (c *Copier) scope(s *side, v valueRow) (string, bool) {
	if !c.company {
		return Global, true
	}
	x, _ := v.Value(s.companyCol)
	code := strings.ToUpper(mapping.Text(x))
	return code, c.linked[code]
}

// rowFailure is a row that cannot be written; the run goes on without it.
type rowFailure struct{ reason string }

func (f rowFailure) Error() string { return f.reason }

// write returns the write that brings one source row to the other side,
// or nil when nothing differs.
func (c *Copier) write(ctx context.Context, from, to *side, s sourceRow, existing map[string]valueRow, update bool) (*providers.Write, error) {
	want, err := to.transform(s.v)
	if err != nil {
		return nil, rowFailure{reason: err.Error()}
	}
	have, found := existing[from.keyString(s.v)]
	switch {
	case !found:
		if err := to.mandatory(want, nil); err != nil {
			return nil, err
		}
		w, err := to.create(ctx, want)
		if err != nil {
			return nil, err
		}
		c.tally.add(s.company, to.name+"_create", 1)
		if c.opts.Created != nil {
			c.opts.Created(to.name, want)
		}
		c.example(RowChange{Company: s.company, Side: to.name, Kind: "create", Key: from.keyText(s.v)}, want, nil)
		return &w, nil
	case !update:
		return nil, nil
	}
	changed := map[string]any{}
	for col, val := range want {
		if !sameValue(val, have[col]) {
			changed[col] = val
		}
	}
	if len(changed) == 0 {
		c.tally.add(s.company, Unchanged, 1)
		return nil, nil
	}
	if err := to.mandatory(changed, have); err != nil {
		return nil, err
	}
	w, err := to.update(ctx, have, changed)
	if err != nil {
		return nil, err
	}
	c.tally.add(s.company, to.name+"_update", 1)
	c.example(RowChange{Company: s.company, Side: to.name, Kind: "update", Key: from.keyText(s.v)}, changed, have)
	return &w, nil
}

// example keeps a row difference for a preview.
func (c *Copier) example(r RowChange, values map[string]any, have valueRow) {
	if c.opts.Examples <= 0 {
		return
	}
	var cols []string
	for k := range values {
		cols = append(cols, k)
	}
	sort.Strings(cols)
	for _, k := range cols {
		f := FieldChange{Name: k, After: mapping.Text(values[k])}
		if have != nil {
			f.Before = mapping.Text(have[k])
		}
		r.Fields = append(r.Fields, f)
	}
	c.tally.example(c.opts.Examples, r)
}

// counterparts reads the rows of to whose keys the source rows have, by
// key string: a hundred keys per query so URLs stay short, the queries of
// a page in as few $batch requests as the client needs.
func (c *Copier) counterparts(ctx context.Context, from, to *side, src []sourceRow) (map[string]valueRow, error) {
	const perQuery = 100 // keys per lookup: about 10 KB of URL, far below the services' limits
	var qs []providers.Query
	for i := 0; i < len(src); i += perQuery {
		var keys [][]any
		for _, s := range src[i:min(i+perQuery, len(src))] {
			keys = append(keys, from.keyValues(s.v))
		}
		f, err := to.keyFilter(ctx, keys)
		if err != nil {
			return nil, err
		}
		if f == "" {
			continue
		}
		q := to.query(perQuery)
		q.Filter = and(q.Filter, f)
		qs = append(qs, q)
	}
	out := map[string]valueRow{}
	if len(qs) == 0 {
		return out, nil
	}
	pages, err := to.rs.ListRowsBatch(ctx, to.set, qs)
	if err != nil {
		return nil, err
	}
	for _, rows := range pages {
		for _, r := range rows {
			v, err := to.resolve(ctx, r)
			if err != nil {
				return nil, err
			}
			out[to.keyString(v)] = v
		}
	}
	return out, nil
}

// filteredDataverse counts, for a preview, the Dataverse rows the map's
// filter leaves out (the service applies it as $filter, so the walk never
// sees them), when Dataverse rows flow to F&O at all.
func (c *Copier) filteredDataverse(ctx context.Context) error {
	f := c.spec.Map.DataverseFilter
	if strings.TrimSpace(f) == "" || !c.fo.receives {
		return nil
	}
	q := providers.Query{Select: []string{c.spec.DataverseTable.PrimaryID}, Filter: "not (" + f + ")"}
	if c.company {
		q.Select = append(q.Select, "_"+companyLookup+"_value")
	}
	return c.spec.Dataverse.ListRows(ctx, c.dv.set, q, func(rows []providers.Row) error {
		for _, r := range rows {
			v, err := c.dv.resolve(ctx, r)
			if err != nil {
				return err
			}
			if company, in := c.scope(c.dv, v); in {
				c.tally.add(company, Filtered, 1)
			}
		}
		return nil
	})
}

func and(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return "(" + a + ") and (" + b + ")"
}

// Summary is a one-line account of a finished run.
func (t *Tally) Summary() string {
	s := fmt.Sprintf("to Dataverse: %d created, %d updated; to F&O: %d created, %d updated; %d unchanged",
		t.Total(DataverseCreate), t.Total(DataverseUpdate), t.Total(FinOpsCreate), t.Total(FinOpsUpdate), t.Total(Unchanged))
	if n := t.Total(Errors); n > 0 {
		s += fmt.Sprintf("; %d failed", n)
	}
	return s
}
