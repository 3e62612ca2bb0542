package applier

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/state"
	"golang.org/x/sync/errgroup"
)

// copyRows is the initial sync in mode "dwctl" (DESIGN §5.3): the rows of
// both sides are matched by the integration key; phase A walks the master
// side page by page and creates its rows on the other side or updates the
// columns that differ there (the master wins); phase B walks the other side
// and creates on the master the rows it lacks. Each page's counterparts
// are read by key, writes go out as paced $batch upserts (creates, by key,
// so a re-run never duplicates a row) and updates of the changed columns
// only,
// and a checkpoint after every page records the phase and the rows done.
// A resumed run reads the rows done again without writing them; rows
// written before a crash but after the last checkpoint are found by key and
// left alone. Memory holds one page plus the lookup tables' keys.
func (x *execution) copyRows(ctx context.Context) error {
	c, err := newCopier(ctx, x)
	if err != nil {
		return err
	}
	cp, _ := x.rec.savedCheckpoint(x.act.Address)
	phase, done := parseCursor(cp.Cursor)
	c.counts = cp.Counts
	if c.counts == nil {
		c.counts = map[string]int64{}
	}
	master, other := c.sides()
	if phase == "A" {
		if err := c.phase(ctx, "A", master, other, done, true); err != nil {
			return err
		}
		done = 0
	}
	if err := c.phase(ctx, "B", other, master, done, false); err != nil {
		return err
	}
	x.message = c.summary()
	return nil
}

// parseCursor reads "PHASE:ROWS"; an empty cursor starts at phase A.
func parseCursor(s string) (string, int64) {
	phase, n, ok := strings.Cut(s, ":")
	if !ok || (phase != "A" && phase != "B") {
		return "A", 0
	}
	rows, err := strconv.ParseInt(n, 10, 64)
	if err != nil || rows < 0 {
		return "A", 0
	}
	return phase, rows
}

// phase walks from's rows page by page and writes to to: creations, and
// when update is set the changed columns of rows both sides have.
func (c *copier) phase(ctx context.Context, name string, from, to *side, skip int64, update bool) error {
	if !to.receives {
		return nil
	}
	seen := int64(0)
	return from.rs.ListRows(ctx, from.set, from.query(c.x.a.opts.BatchSize), func(rows []providers.Row) error {
		if c.x.drained() {
			return errCanceled
		}
		start := max(0, min(int64(len(rows)), skip-seen))
		seen += int64(len(rows))
		if start == int64(len(rows)) {
			return nil
		}
		if err := c.page(ctx, from, to, rows[start:], update); err != nil {
			return err
		}
		c.x.a.log.Debug("copy page done", "id", c.x.act.ID, "phase", name, "from", from.name, "rows", seen, "counts", c.counts)
		c.x.progress(int64(len(rows)) - start)
		return c.x.rec.checkpoint(ctx, c.x.act.Address, state.Checkpoint{Cursor: fmt.Sprintf("%s:%d", name, seen), Counts: c.counts})
	})
}

// page copies one page of from's rows to to.
func (c *copier) page(ctx context.Context, from, to *side, rows []providers.Row, update bool) error {
	var src []valueRow
	for _, r := range rows {
		v, err := from.resolve(ctx, r)
		if err != nil {
			return err
		}
		ok, err := from.selected(v)
		if err != nil {
			return err
		}
		if ok {
			src = append(src, v)
		}
	}
	existing, err := c.counterparts(ctx, from, to, src)
	if err != nil {
		return err
	}
	var writes []providers.Write
	for _, v := range src {
		w, err := c.write(ctx, from, to, v, existing, update)
		if err != nil {
			return err
		}
		if w != nil {
			writes = append(writes, *w)
		}
	}
	if len(writes) == 0 {
		return nil
	}
	return c.x.writeBatch(ctx, to.rs, to.set, writes)
}

// write returns the write that brings one source row to the other side,
// or nil when nothing differs.
func (c *copier) write(ctx context.Context, from, to *side, v valueRow, existing map[string]valueRow, update bool) (*providers.Write, error) {
	want, err := to.transform(v)
	if err != nil {
		return nil, err
	}
	have, found := existing[from.keyString(v)]
	switch {
	case !found:
		c.counts[to.name+"_created"]++
		w, err := to.create(ctx, want)
		return &w, err
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
		c.counts["unchanged"]++
		return nil, nil
	}
	c.counts[to.name+"_updated"]++
	w, err := to.update(ctx, have, changed)
	return &w, err
}

// counterparts reads the rows of to whose keys the source rows have, by
// key string: a few keys per request so URLs stay short, up to
// Options.Parallelism requests at once.
func (c *copier) counterparts(ctx context.Context, from, to *side, src []valueRow) (map[string]valueRow, error) {
	out := map[string]valueRow{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.x.a.opts.Parallelism)
	const perQuery = 50
	for i := 0; i < len(src); i += perQuery {
		var keys [][]any
		for _, v := range src[i:min(i+perQuery, len(src))] {
			keys = append(keys, from.keyValues(v))
		}
		g.Go(func() error {
			rows, err := c.byKeys(gctx, to, keys, perQuery)
			mu.Lock()
			defer mu.Unlock()
			for _, v := range rows {
				out[to.keyString(v)] = v
			}
			return err
		})
	}
	return out, g.Wait()
}

// byKeys reads the rows of s with the given keys.
func (c *copier) byKeys(ctx context.Context, s *side, keys [][]any, page int) ([]valueRow, error) {
	f, err := s.keyFilter(ctx, keys)
	if err != nil || f == "" {
		return nil, err
	}
	q := s.query(page)
	q.Filter = and(q.Filter, f)
	var out []valueRow
	err = s.rs.ListRows(ctx, s.set, q, func(rows []providers.Row) error {
		for _, r := range rows {
			v, err := s.resolve(ctx, r)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
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

func (c *copier) summary() string {
	n := c.counts
	return fmt.Sprintf("to Dataverse: %d created, %d updated; to F&O: %d created, %d updated; %d unchanged",
		n["dataverse_created"], n["dataverse_updated"], n["finops_created"], n["finops_updated"], n["unchanged"])
}
