package applier

import (
	"context"
	"fmt"
	"strings"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/state"
)

// companyColumn is the company lookup of dual-write's company-specific
// Dataverse tables [D].
const companyColumn = "msdyn_company"

// bootstrap gives the company-less rows of each table that match the filter
// the company, a batch at a time. Rows that have a company are never
// selected again, so the operation is idempotent and a re-run only does
// what is left; the checkpoint keeps the running counts.
func (x *execution) bootstrap(ctx context.Context) error {
	p, err := x.pair()
	if err != nil {
		return err
	}
	code, err := x.companyCode()
	if err != nil {
		return err
	}
	company, err := companyID(ctx, p.Dataverse, code)
	if err != nil {
		return err
	}
	cp, _ := x.rec.savedCheckpoint(x.act.Address)
	counts := cp.Counts
	if counts == nil {
		counts = map[string]int64{}
	}
	for _, table := range x.act.Params.Tables {
		if err := x.bootstrapTable(ctx, p.Dataverse, table, company, counts); err != nil {
			return err
		}
	}
	x.message = fmt.Sprintf("%s given company %s", planner.Plural(int(x.rows), "row"), code)
	return nil
}

// bootstrapTable assigns the company to one table's rows.
func (x *execution) bootstrapTable(ctx context.Context, dv providers.Dataverse, table string, company providers.GUID, counts map[string]int64) error {
	meta, err := dv.Tables(ctx, []string{table})
	if err != nil {
		return err
	}
	if len(meta) != 1 || meta[0].PrimaryID == "" {
		return fmt.Errorf("bootstrap: no metadata for Dataverse table %s", table)
	}
	set, id := meta[0].EntitySetName, meta[0].PrimaryID
	// The same rows the plan counted.
	where := x.act.Params.Where
	if w, ok := x.act.Params.Wheres[strings.ToLower(table)]; ok {
		where = w
	}
	filter := live.BootstrapFilter(where)
	bind := "/cdm_companies(" + string(company) + ")"
	for {
		if x.drained() {
			return errCanceled
		}
		writes, err := x.companyless(ctx, dv, set, id, filter, bind)
		if err != nil || len(writes) == 0 {
			return err
		}
		if err := x.writeBatch(ctx, dv, set, writes); err != nil {
			return err
		}
		counts[strings.ToLower(table)] += int64(len(writes))
		x.a.log.Debug("bootstrap batch written", "id", x.act.ID, "table", table, "rows", len(writes), "total", counts[strings.ToLower(table)])
		x.progress(int64(len(writes)))
		if err := x.rec.checkpoint(ctx, x.act.Address, state.Checkpoint{Cursor: table, Counts: counts}); err != nil {
			return err
		}
	}
}

// companyless reads the next batch of rows still without a company and
// returns the writes that give them the company.
func (x *execution) companyless(ctx context.Context, dv providers.Dataverse, set, id, filter, bind string) ([]providers.Write, error) {
	var writes []providers.Write
	q := providers.Query{Filter: filter, Select: []string{id}, OrderBy: []string{id}, Top: x.a.opts.BatchSize, PageSize: x.a.opts.BatchSize}
	err := dv.ListRows(ctx, set, q, func(rows []providers.Row) error {
		for _, r := range rows {
			s, _ := r[id].(string)
			writes = append(writes, providers.Write{Kind: providers.Update, Key: providers.Key{{Value: providers.GUID(s)}},
				Row: providers.Row{companyColumn + "@odata.bind": bind}, IfMatch: "*"})
		}
		return nil
	})
	return writes, err
}

// writeBatch sends writes as one paced series of $batch requests.
func (x *execution) writeBatch(ctx context.Context, rs providers.RowWriter, set string, writes []providers.Write) error {
	return x.sendPaced(ctx, x.pacer(), rs, set, writes)
}

// pacer returns the action's pacer, made on first use.
func (x *execution) pacer() *pacer {
	if x.pace == nil {
		x.pace = newPacer(x.a.opts.Parallelism)
	}
	return x.pace
}

// batchError says how many writes of a batch failed, with the first error.
type batchError struct {
	failed, total int
	set           string
	first         error
}

func (e *batchError) Error() string {
	return fmt.Sprintf("%d of %d writes to %s failed; the first: %v", e.failed, e.total, e.set, e.first)
}

func (e *batchError) Unwrap() error { return e.first }

// companyID returns the cdm_company row id of a company code.
func companyID(ctx context.Context, dv providers.Dataverse, code string) (providers.GUID, error) {
	rows, err := dv.Companies(ctx)
	if err != nil {
		return "", err
	}
	for _, c := range rows {
		if strings.EqualFold(c.Code, code) {
			return c.ID, nil
		}
	}
	return "", fmt.Errorf("Dataverse has no cdm_company row for %s", code)
}

// drained reports whether the first interrupt came.
func (x *execution) drained() bool {
	select {
	case <-x.drain:
		return true
	default:
		return false
	}
}

// progress adds n rows to the action's count and reports it.
func (x *execution) progress(n int64) {
	x.rows += n
	x.a.emit(Event{Type: EventProgress, ID: x.act.ID, Address: x.act.Address, Kind: x.act.Kind.Name(),
		Rows: x.rows, Total: x.act.Rows})
}

// companyCode is the F&O company a bootstrap works for: the desired company's id, or, for a company
// the plan holds no definition of, the one state recorded.
func (x *execution) companyCode() (string, error) {
	obj := addrs.ObjectOf(x.act.Address)
	if o := x.rec.p.Objects[obj]; o != nil && o.Desired != nil && o.Desired.Company != nil {
		return o.Desired.Company.ID, nil
	}
	if o, ok := x.rec.snapshot().Object(obj); ok && o.Identity["id"] != "" {
		return o.Identity["id"], nil
	}
	return "", fmt.Errorf("the plan holds no definition of %s and the state no id for it", obj)
}
