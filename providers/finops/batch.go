package finops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
	"github.com/dwctl/dwctl/providers/transport"
)

// WriteRows sends writes to set in $batch requests. Upserts are resolved first: one $batch of GETs
// (safe to repeat) tells which keys exist, then each upsert is sent as a PATCH or as a POST carrying the
// key. With opts.Atomic every write is in one change set; F&O then answers 200 and reports a failed
// operation as an inner part (usually 500 with AxODataWriteException), and nothing of the set is kept.
func (c *Client) WriteRows(ctx context.Context, set string, writes []providers.Write, opts providers.BatchOptions) ([]providers.WriteResult, error) {
	cl := call("batch write", set, nil)
	if opts.Atomic && len(writes) > MaxBatchOperations {
		return nil, c.fail(cl, fmt.Errorf("%d writes cannot be one change set: a $batch holds at most %d operations", len(writes), MaxBatchOperations))
	}
	exists, err := c.existing(ctx, set, writes)
	if err != nil {
		return nil, err
	}
	size := c.batchSize
	if opts.Size > 0 {
		size = min(opts.Size, MaxBatchOperations)
	}
	if opts.Atomic {
		size = max(len(writes), 1)
	}
	results := make([]providers.WriteResult, 0, len(writes))
	for start := 0; start < len(writes); start += size {
		end := min(start+size, len(writes))
		res, err := c.writeChunkChecked(ctx, cl, set, writes[start:end], exists[start:end], opts)
		results = append(results, res...)
		if err != nil {
			return results, err
		}
	}
	return results, nil
}

// writeChunkChecked sends one chunk; when its answer was lost (the batch may or may not have been
// applied) and every write of it is an upsert, it reads the keys again and sends the chunk again
// as it now stands — the rows the lost batch created become updates with the same values — so a
// lost answer never creates a row twice nor loses one. Creates are never repeated blindly: F&O
// OData creates are not idempotent.
func (c *Client) writeChunkChecked(ctx context.Context, cl odata.Call, set string, writes []providers.Write, exists []bool, opts providers.BatchOptions) ([]providers.WriteResult, error) {
	first := slices.Clone(exists)
	for attempt := 0; ; attempt++ {
		res, err := c.writeChunk(ctx, cl, set, writes, exists, opts)
		if errors.Is(err, transport.ErrOutcomeUnknown) && attempt < 2 && allUpserts(writes) {
			if exists, err = c.existing(ctx, set, writes); err != nil {
				return nil, err
			}
			continue
		}
		if err == nil && attempt > 0 {
			markCreated(res, first, exists)
		}
		return res, err
	}
}

func allUpserts(writes []providers.Write) bool {
	for _, w := range writes {
		if w.Kind != providers.Upsert {
			return false
		}
	}
	return true
}

// markCreated reports as created the rows that did not exist before the first try.
func markCreated(res []providers.WriteResult, before, now []bool) {
	for i := range res {
		if i < len(before) && !before[i] && now[i] && res[i].Err == nil {
			res[i].Created = true
		}
	}
}

// existing reports, for every upsert, whether its key matches a row.
func (c *Client) existing(ctx context.Context, set string, writes []providers.Write) ([]bool, error) {
	exists := make([]bool, len(writes))
	var groups []odata.Group
	var index []int
	for i, w := range writes {
		if w.Kind != providers.Upsert {
			continue
		}
		path, err := keyPath(set, w.Key, odata.QueryParams(providers.Query{Select: keyNames(w.Key)}))
		if err != nil {
			return nil, c.fail(call("upsert", set, w.Key), err)
		}
		groups = append(groups, odata.Group{Ops: []odata.Operation{{Method: http.MethodGet, URL: c.origin + "/data/" + path,
			Header: http.Header{"Accept": {"application/json"}}}}})
		index = append(index, i)
	}
	for start := 0; start < len(groups); start += c.batchSize {
		chunk := groups[start:min(start+c.batchSize, len(groups))]
		answers, err := c.c.Batch(ctx, call("read keys of", set, nil), "$batch", chunk,
			http.Header{"Prefer": {"odata.continue-on-error"}}, true)
		if err != nil {
			return nil, err
		}
		for j, o := range odata.Match(chunk, answers) {
			w := writes[index[start+j]]
			r := o[0].Result
			switch {
			case r == nil:
				// Whether F&O runs the rest of a batch after a 404 outside change sets is not
				// documented [U]: a read left unanswered is made on its own.
				found, err := c.exists(ctx, set, w.Key)
				if err != nil {
					return nil, err
				}
				exists[index[start+j]] = found
			case r.Status == http.StatusOK:
				exists[index[start+j]] = true
			case r.Status != http.StatusNotFound:
				return nil, c.c.ErrorFrom(call("upsert", set, w.Key), r.Status, r.Header, r.Body)
			}
		}
	}
	return exists, nil
}

// exists reads one key.
func (c *Client) exists(ctx context.Context, set string, key providers.Key) (bool, error) {
	_, err := c.GetRow(ctx, set, key, keyNames(key))
	switch {
	case err == nil:
		return true, nil
	case providers.IsNotFound(err):
		return false, nil
	}
	return false, err
}

func (c *Client) writeChunk(ctx context.Context, cl odata.Call, set string, writes []providers.Write, exists []bool, opts providers.BatchOptions) ([]providers.WriteResult, error) {
	ops := make([]odata.Operation, len(writes))
	repeatable := true
	for i, w := range writes {
		op, err := c.operation(set, w, exists[i])
		if err != nil {
			return nil, c.fail(call(string(w.Kind), set, w.Key), err)
		}
		ops[i] = op
		repeatable = repeatable && op.Method == http.MethodPatch && (w.IfMatch == "" || w.IfMatch == "*")
	}
	var groups []odata.Group
	if opts.Atomic {
		groups = []odata.Group{{ChangeSet: true, Ops: ops}}
	} else {
		for _, op := range ops {
			groups = append(groups, odata.Group{Ops: []odata.Operation{op}})
		}
	}
	h := http.Header{}
	if opts.ContinueOnError {
		h.Set("Prefer", "odata.continue-on-error")
	}
	answers, err := c.c.Batch(ctx, cl, "$batch", groups, h, repeatable)
	if err != nil {
		return nil, err
	}
	out := make([]providers.WriteResult, 0, len(writes))
	i := 0
	for _, group := range odata.Match(groups, answers) {
		for _, o := range group {
			out = append(out, c.outcome(call(string(writes[i].Kind), set, writes[i].Key), o))
			i++
		}
	}
	return out, nil
}

// operation turns a write into a POST, PATCH or DELETE.
func (c *Client) operation(set string, w providers.Write, exists bool) (odata.Operation, error) {
	op := odata.Operation{Header: http.Header{}}
	if w.IfMatch != "" {
		op.Header.Set("If-Match", w.IfMatch)
	}
	row := w.Row
	switch {
	case w.Kind == providers.Create || w.Kind == providers.Upsert && !exists:
		op.Method = http.MethodPost
		if w.Kind == providers.Upsert {
			row = withKey(row, w.Key)
		}
		op.URL = c.origin + "/data/" + odata.Path(set, crossCompany(nil, namesCompany(nil, row)))
	case w.Kind == providers.Update || w.Kind == providers.Upsert, w.Kind == providers.Delete:
		if len(w.Key) == 0 {
			return op, errNoKey
		}
		path, err := keyPath(set, w.Key, nil)
		if err != nil {
			return op, err
		}
		op.Method, op.URL = http.MethodPatch, c.origin+"/data/"+path
		if w.Kind == providers.Delete {
			op.Method = http.MethodDelete
			return op, nil
		}
	default:
		return op, fmt.Errorf("unknown write kind %q", w.Kind)
	}
	body, err := json.Marshal(row)
	if err != nil {
		return op, err
	}
	op.Body = body
	op.Header.Set("Content-Type", "application/json")
	return op, nil
}

func (c *Client) outcome(cl odata.Call, o odata.Outcome) providers.WriteResult {
	switch {
	case o.NotRun:
		return providers.WriteResult{Err: c.fail(cl, errors.New("not run: the batch stopped at an earlier failure"))}
	case o.RolledBack:
		cause := c.c.ErrorFrom(cl, o.Result.Status, o.Result.Header, o.Result.Body)
		cause.Message = "rolled back with its change set: " + cause.Message
		return providers.WriteResult{Err: cause}
	case o.Result.Status >= 400:
		return providers.WriteResult{Status: o.Result.Status, Err: c.c.ErrorFrom(cl, o.Result.Status, o.Result.Header, o.Result.Body)}
	}
	r := providers.WriteResult{Status: o.Result.Status, Created: o.Result.Status == http.StatusCreated,
		ETag: o.Result.Header.Get("ETag"), EntityID: o.Result.Header.Get("Location")}
	if r.ETag == "" && len(o.Result.Body) > 0 {
		if row, err := odata.DecodeRow(o.Result.Body); err == nil {
			r.ETag = row.ETag()
		}
	}
	return r
}
