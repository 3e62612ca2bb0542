package finops

import (
	"context"
	"errors"
	"net/http"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
	"github.com/dwctl/dwctl/providers/transport"
)

// queryParams renders q, folding Company into the filter (dataAreaId eq '…') with cross-company=true.
func queryParams(q providers.Query) []odata.Param {
	if q.Company != "" {
		lit, _ := odata.Literal(q.Company)
		f := companyField + " eq " + lit
		if q.Filter != "" {
			f += " and (" + q.Filter + ")"
		}
		q.Filter = f
	}
	return crossCompany(odata.QueryParams(q), q.Company != "" || q.AllCompanies)
}

// ListRows pages through the rows of set matching q. F&O chooses the page size (at most 10,000) and
// continues with @odata.nextLink, which is followed verbatim; q.PageSize is not sent, since whether F&O
// honours odata.maxpagesize is not documented [U].
func (c *Client) ListRows(ctx context.Context, set string, q providers.Query, page func([]providers.Row) error) error {
	cl := call("list", set, nil)
	return c.c.Pages(ctx, cl, odata.Path(set, queryParams(q)), nil, func(p odata.Page) error {
		return page(p.Rows)
	})
}

// CountRows returns …/$count for q's filter and company (a plain number).
func (c *Client) CountRows(ctx context.Context, set string, q providers.Query) (int64, error) {
	cl := call("count", set, nil)
	params := queryParams(providers.Query{Filter: q.Filter, Company: q.Company, AllCompanies: q.AllCompanies})
	resp, err := c.c.Do(ctx, cl, transport.Request{Method: http.MethodGet, URL: odata.Path(set+"/$count", params),
		Header: http.Header{"Accept": {"text/plain, application/json"}}})
	if err != nil {
		return 0, err
	}
	n, err := odata.DecodeCount(resp.Body)
	if err != nil {
		return 0, c.fail(cl, err)
	}
	return n, nil
}

// GetRow reads one row by its full key (with dataAreaId for company-striped entities).
func (c *Client) GetRow(ctx context.Context, set string, key providers.Key, columns []string) (providers.Row, error) {
	cl := call("get", set, key)
	path, err := keyPath(set, key, odata.QueryParams(providers.Query{Select: columns}))
	if err != nil {
		return nil, c.fail(cl, err)
	}
	resp, err := c.c.Do(ctx, cl, transport.Request{Method: http.MethodGet, URL: path})
	if err != nil {
		return nil, err
	}
	row, err := odata.DecodeRow(resp.Body)
	if err != nil {
		return nil, c.fail(cl, err)
	}
	return row, nil
}

// all lists every row of set matching q.
func (c *Client) all(ctx context.Context, set string, q providers.Query) ([]providers.Row, error) {
	var rows []providers.Row
	err := c.ListRows(ctx, set, q, func(page []providers.Row) error {
		rows = append(rows, page...)
		return nil
	})
	return rows, err
}

var errNoKey = errors.New("a write by key needs the entity's full key")

// lookupsPerBatch is how many queries ListRowsBatch sends per $batch request.
const lookupsPerBatch = 100

// ListRowsBatch reads the rows matching each of qs with one $batch request per hundred queries,
// each answered like ListRows.
func (c *Client) ListRowsBatch(ctx context.Context, set string, qs []providers.Query) ([][]providers.Row, error) {
	cl := call("list", set, nil)
	paths := make([]string, len(qs))
	for i, q := range qs {
		paths[i] = c.origin + "/data/" + odata.Path(set, queryParams(q))
	}
	out := make([][]providers.Row, len(qs))
	err := c.c.PagesBatch(ctx, cl, "$batch", paths, nil, lookupsPerBatch, func(i int, p odata.Page) error {
		out[i] = append(out[i], p.Rows...)
		return nil
	})
	return out, err
}
