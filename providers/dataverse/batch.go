package dataverse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
)

// WriteRows sends writes to set in $batch requests of BatchSize operations (opts.Size when set). With
// opts.Atomic all writes go in one change set, so at most 1000 of them; otherwise each write stands on
// its own and, with opts.ContinueOnError, a failure does not stop the rest. Upserts and updates ask for
// their key columns back, so the results say which rows were created.
func (c *Client) WriteRows(ctx context.Context, set string, writes []providers.Write, opts providers.BatchOptions) ([]providers.WriteResult, error) {
	cl := call("batch write", set, nil)
	size := clamp(opts.Size, c.batchSize, MaxBatchOperations)
	if opts.Atomic && len(writes) > MaxBatchOperations {
		return nil, c.fail(cl, fmt.Errorf("%d writes cannot be one change set: a $batch holds at most %d operations", len(writes), MaxBatchOperations))
	}
	if opts.Atomic {
		size = len(writes)
	}
	results := make([]providers.WriteResult, 0, len(writes))
	for start := 0; start < len(writes); start += size {
		chunk := writes[start:min(start+size, len(writes))]
		res, err := c.writeChunk(ctx, cl, set, chunk, opts)
		if err != nil {
			return append(results, res...), err
		}
		results = append(results, res...)
	}
	return results, nil
}

func (c *Client) writeChunk(ctx context.Context, cl odata.Call, set string, writes []providers.Write, opts providers.BatchOptions) ([]providers.WriteResult, error) {
	ops := make([]odata.Operation, len(writes))
	repeatable := true
	for i, w := range writes {
		op, again, err := c.operation(set, w)
		if err != nil {
			return nil, c.fail(call(string(w.Kind), set, w.Key), err)
		}
		ops[i] = op
		repeatable = repeatable && again
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
	return c.results(set, writes, odata.Match(groups, answers)), nil
}

// operation turns a write into a batch operation and says whether sending it twice is harmless.
func (c *Client) operation(set string, w providers.Write) (odata.Operation, bool, error) {
	op := odata.Operation{Header: http.Header{}}
	if w.Kind != providers.Delete {
		body, err := json.Marshal(w.Row)
		if err != nil {
			return op, false, err
		}
		op.Body = body
		op.Header.Set("Content-Type", "application/json; type=entry")
	}
	if w.IfMatch != "" {
		op.Header.Set("If-Match", w.IfMatch)
	}
	if w.Kind == providers.Create {
		op.Method, op.URL = http.MethodPost, c.base.String()+set
		return op, false, nil
	}
	path, err := keyPath(set, w.Key)
	if err != nil {
		return op, false, err
	}
	op.URL = c.base.String() + path
	switch w.Kind {
	case providers.Update, providers.Upsert:
		op.Method = http.MethodPatch
		op.URL = c.base.String() + odata.Path(path, keySelect(w.Key))
		op.Header.Set("Prefer", "return=representation")
		if w.Kind == providers.Update && w.IfMatch == "" {
			op.Header.Set("If-Match", "*")
		}
		return op, w.IfMatch == "" || w.IfMatch == "*", nil
	case providers.Delete:
		op.Method = http.MethodDelete
		return op, false, nil
	}
	return op, false, fmt.Errorf("unknown write kind %q", w.Kind)
}

// results turns the matched answers into one result per write.
func (c *Client) results(set string, writes []providers.Write, outcomes [][]odata.Outcome) []providers.WriteResult {
	out := make([]providers.WriteResult, 0, len(writes))
	i := 0
	for _, group := range outcomes {
		for _, o := range group {
			w := writes[i]
			i++
			cl := call(string(w.Kind), set, w.Key)
			out = append(out, c.outcome(cl, o))
		}
	}
	return out
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
		err := c.c.ErrorFrom(cl, o.Result.Status, o.Result.Header, o.Result.Body)
		return providers.WriteResult{Status: o.Result.Status, Err: err}
	}
	return result(o.Result.Status, o.Result.Header, o.Result.Body)
}
