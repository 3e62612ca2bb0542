package dataverse

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
)

// ListRows pages through the rows of set matching q with Prefer: odata.maxpagesize, following every
// @odata.nextLink verbatim with the same Prefer. A Top no larger than one page is sent as $top; a larger
// one is applied by the client, since Dataverse ignores $top when a page size is given.
func (c *Client) ListRows(ctx context.Context, set string, q providers.Query, page func([]providers.Row) error) error {
	cl := call("list", set, nil)
	if q.Company != "" {
		return c.fail(cl, errors.New("a Dataverse query names its company in Filter (_msdyn_company_value), not in Company"))
	}
	size := c.pageSize
	if q.PageSize > 0 {
		size = min(q.PageSize, MaxPageSize)
	}
	top := q.Top
	h := http.Header{"If-None-Match": {"null"}}
	if top > 0 && top <= size {
		top = 0
	} else {
		q.Top = 0
		h.Set("Prefer", "odata.maxpagesize="+strconv.Itoa(size))
	}
	seen := 0
	errStop := errors.New("stop")
	err := c.c.Pages(ctx, cl, odata.Path(set, odata.QueryParams(q)), h, func(p odata.Page) error {
		rows := p.Rows
		if top > 0 && seen+len(rows) >= top {
			rows = rows[:top-seen]
			seen = top
			if err := page(rows); err != nil {
				return err
			}
			return errStop
		}
		seen += len(rows)
		return page(rows)
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// CountRows counts the rows of set matching q.Filter. $count is exact below 5,000 rows, which costs one
// request; at the cap the client pages through the primary ids (5,000 per request) and counts them.
func (c *Client) CountRows(ctx context.Context, set string, q providers.Query) (int64, error) {
	cl := call("count", set, nil)
	if q.Company != "" {
		return 0, c.fail(cl, errors.New("a Dataverse count names its company in Filter, not in Company"))
	}
	id, err := c.primaryID(ctx, set)
	if err != nil {
		return 0, err
	}
	params := odata.QueryParams(providers.Query{Filter: q.Filter, Select: []string{id}})
	params = append(params, odata.Param{Name: "$count", Value: "true"})
	h := http.Header{"Prefer": {"odata.maxpagesize=" + strconv.Itoa(MaxPageSize)}, "If-None-Match": {"null"}}
	var n int64
	errDone := errors.New("done")
	err = c.c.Pages(ctx, cl, odata.Path(set, params), h, func(p odata.Page) error {
		if n == 0 && p.Count >= 0 && p.Count < countCap {
			n = p.Count
			return errDone
		}
		n += int64(len(p.Rows))
		return nil
	})
	if err != nil && !errors.Is(err, errDone) {
		return 0, err
	}
	return n, nil
}

// GetRow reads one row by primary id or alternate key.
func (c *Client) GetRow(ctx context.Context, set string, key providers.Key, columns []string) (providers.Row, error) {
	cl := call("get", set, key)
	path, err := keyPath(set, key)
	if err != nil {
		return nil, c.fail(cl, err)
	}
	resp, err := c.c.Do(ctx, cl, getRequest(odata.Path(path, odata.QueryParams(providers.Query{Select: columns}))))
	if err != nil {
		return nil, err
	}
	row, err := odata.DecodeRow(resp.Body)
	if err != nil {
		return nil, c.fail(cl, err)
	}
	return row, nil
}

// primaryID returns the primary id column of an entity set, read once from metadata.
func (c *Client) primaryID(ctx context.Context, set string) (string, error) {
	c.mu.Lock()
	id, ok := c.primary[set]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	cl := call("read metadata of", set, nil)
	lit, _ := odata.Literal(set)
	path := odata.Path("EntityDefinitions", []odata.Param{
		{Name: "$select", Value: "LogicalName,EntitySetName,PrimaryIdAttribute"},
		{Name: "$filter", Value: "EntitySetName eq " + lit},
	})
	resp, err := c.c.Do(ctx, cl, getRequest(path))
	if err != nil {
		return "", err
	}
	page, err := odata.DecodePage(resp.Body)
	if err != nil {
		return "", c.fail(cl, err)
	}
	if len(page.Rows) == 0 {
		return "", &providers.Error{Environment: c.Environment(), Operation: cl.Operation, Table: set,
			Status: http.StatusNotFound, Message: fmt.Sprintf("no table has the entity set name %q", set)}
	}
	id, _ = page.Rows[0]["PrimaryIdAttribute"].(string)
	c.mu.Lock()
	c.primary[set] = id
	c.mu.Unlock()
	return id, nil
}

// lookupsPerBatch is how many queries ListRowsBatch sends per $batch request: each is a GET of a
// few kilobytes of URL.
const lookupsPerBatch = 100

// ListRowsBatch reads the rows matching each of qs with one $batch request per hundred queries,
// each answered like ListRows (pages of MaxPageSize, followed when one query matches more).
func (c *Client) ListRowsBatch(ctx context.Context, set string, qs []providers.Query) ([][]providers.Row, error) {
	cl := call("list", set, nil)
	paths := make([]string, len(qs))
	for i, q := range qs {
		if q.Company != "" || q.Top > 0 {
			return nil, c.fail(cl, errors.New("a batched Dataverse query takes neither Company nor Top"))
		}
		q.PageSize = 0
		paths[i] = c.base.String() + odata.Path(set, odata.QueryParams(q))
	}
	h := http.Header{"Prefer": {"odata.maxpagesize=" + strconv.Itoa(MaxPageSize)}, "If-None-Match": {"null"}}
	out := make([][]providers.Row, len(qs))
	err := c.c.PagesBatch(ctx, cl, "$batch", paths, h, lookupsPerBatch, func(i int, p odata.Page) error {
		out[i] = append(out[i], p.Rows...)
		return nil
	})
	return out, err
}
