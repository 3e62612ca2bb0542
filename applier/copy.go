package applier

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/state"
	"github.com/dwctl/dwctl/transfer"
)

// copyRows is the initial sync in mode "dwctl" (DESIGN §5.3), run by
// package transfer: master rows first, then the rows only the other side
// has, as paced $batch upserts by key (a re-run never duplicates a row)
// and updates of the changed columns only, with a checkpoint after every
// page that records the phase, the rows done and the counts. A resumed run
// reads the rows done again without writing them; rows written before a
// crash but after the last checkpoint are found by key and left alone.
// Rows that would fail are not sent; the action fails after the others
// are written, naming them.
func (x *execution) copyRows(ctx context.Context) error {
	spec, err := x.copySpec(ctx)
	if err != nil {
		return err
	}
	var c *transfer.Copier
	c, err = transfer.New(spec, transfer.Options{
		PageSize: copyPage(x.a.opts.BatchSize),
		Write:    x.writeBatch,
		Stop:     x.drained,
		Page: func(ctx context.Context, at transfer.Cursor, written int64) error {
			x.a.log.Debug("copy page done", "id", x.act.ID, "cursor", at.String(), "written", written)
			x.progress(written)
			return x.rec.checkpoint(ctx, x.act.Address, state.Checkpoint{Cursor: at.String(), Counts: c.Tally().Counts()})
		},
	})
	if err != nil {
		return err
	}
	cp, _ := x.rec.savedCheckpoint(x.act.Address)
	c.Resume(cp.Counts)
	err = c.Run(ctx, transfer.ParseCursor(cp.Cursor))
	x.message = c.Tally().Summary()
	var rows *transfer.RowErrors
	switch {
	case errors.Is(err, transfer.ErrStopped):
		return errCanceled
	case errors.As(err, &rows):
		// The next run starts over: it writes only what still differs.
		if cerr := x.rec.checkpoint(ctx, x.act.Address, state.Checkpoint{}); cerr != nil {
			return cerr
		}
	}
	return err
}

// copySpec reads the metadata of the map's two tables and the link's
// companies.
func (x *execution) copySpec(ctx context.Context) (transfer.Spec, error) {
	p, err := x.pair()
	if err != nil {
		return transfer.Spec{}, err
	}
	o := x.rec.p.Objects[addrs.ObjectOf(x.act.Address)]
	if o == nil || o.Desired == nil || o.Desired.Map == nil {
		return transfer.Spec{}, fmt.Errorf("the plan holds no definition of %s", addrs.ObjectOf(x.act.Address))
	}
	ma := o.Desired.Map
	spec := transfer.Spec{FinOps: p.FinOps, Dataverse: p.Dataverse, Map: ma.Mapping(), Master: x.act.Params.Master}
	if spec.DataverseTable, spec.Key, err = x.keyedTable(ctx, p.Dataverse, o.Link, ma.Dataverse); err != nil {
		return spec, err
	}
	fo, err := p.FinOps.Tables(ctx, []string{ma.FinOps})
	if err != nil {
		return spec, err
	}
	if len(fo) != 1 {
		return spec, fmt.Errorf("no metadata for the F&O entity %s", ma.FinOps)
	}
	spec.FinOpsTable = fo[0]
	info, err := x.linkInfo(ctx)
	if err != nil {
		return spec, err
	}
	details, err := p.Control.Details(ctx, info)
	if err != nil {
		return spec, err
	}
	for _, le := range details.LegalEntities {
		spec.Companies = append(spec.Companies, le.Code)
	}
	return spec, nil
}

// keyedTable finds the metadata of the map's Dataverse table and its
// integration key among the keys of the plan's link.
func (x *execution) keyedTable(ctx context.Context, dv providers.Dataverse, link, set string) (providers.Table, []string, error) {
	keys := map[string][]string{}
	var names []string
	for _, o := range x.rec.p.Objects {
		if o.Kind == "integration_key" && o.Link == link && o.Desired != nil && o.Desired.Key != nil {
			keys[o.Desired.Key.Table] = o.Desired.Key.Columns
			names = append(names, o.Desired.Key.Table)
		}
	}
	if len(names) > 0 {
		tables, err := dv.Tables(ctx, sortStrings(names))
		if err != nil {
			return providers.Table{}, nil, err
		}
		for _, t := range tables {
			if strings.EqualFold(t.EntitySetName, set) {
				return t, keys[strings.ToLower(t.LogicalName)], nil
			}
		}
	}
	return providers.Table{}, nil, fmt.Errorf("no integration_key is declared for the Dataverse table of %s; a dwctl-mode initial sync matches rows by it", set)
}

// copyPage is how many rows a copy reads per page (and checkpoints after):
// five write batches, at most the 5,000 rows a Dataverse page holds [D].
func copyPage(batch int) int { return min(5*batch, 5000) }
