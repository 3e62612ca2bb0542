package odata

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/transport"
)

// Doer sends one request and returns the final answer; *transport.Pipeline implements it.
type Doer interface {
	Do(ctx context.Context, r transport.Request) (*transport.Response, error)
}

// Client sends OData requests to one service and turns error answers into *providers.Error.
type Client struct {
	Doer Doer
	// Environment is the display name used in errors.
	Environment string
	// Header is sent with every request (OData-Version and the like).
	Header http.Header
}

// Call names a request for errors: the operation, the table and the key.
type Call struct {
	Operation string
	Table     string
	Key       string
}

// Do sends r with the client's headers; an answer of 400 or more is returned as *providers.Error.
func (c *Client) Do(ctx context.Context, call Call, r transport.Request) (*transport.Response, error) {
	h := c.Header.Clone()
	for k, v := range r.Header {
		h[k] = v
	}
	r.Header = h
	resp, err := c.Doer.Do(ctx, r)
	if err != nil {
		return nil, c.wrap(call, err)
	}
	if resp.Status >= 400 {
		return resp, c.ErrorFrom(call, resp.Status, resp.Header, resp.Body)
	}
	return resp, nil
}

func (c *Client) wrap(call Call, err error) error {
	var pe *providers.Error
	if errors.As(err, &pe) {
		return err
	}
	return &providers.Error{Environment: c.Environment, Operation: call.Operation, Table: call.Table, Key: call.Key, Err: err}
}

// ErrorFrom builds the error for an answer with status >= 400.
func (c *Client) ErrorFrom(call Call, status int, h http.Header, body []byte) *providers.Error {
	e := &providers.Error{Environment: c.Environment, Operation: call.Operation, Table: call.Table, Key: call.Key, Status: status}
	if se, ok := ParseError(body); ok {
		e.Code, e.Message, e.Detail = se.Code, se.Message, se.Detail()
	} else if len(body) > 0 {
		e.Message = Excerpt(body)
	}
	if h != nil {
		if d, ok := transport.ParseRetryAfter(h.Get("Retry-After")); ok {
			e.RetryAfter = d
		}
	}
	return e
}

// Pages GETs first and follows every @odata.nextLink verbatim, with the same headers, calling fn per page.
func (c *Client) Pages(ctx context.Context, call Call, first string, h http.Header, fn func(Page) error) error {
	next := first
	for next != "" {
		resp, err := c.Do(ctx, call, transport.Request{Method: http.MethodGet, URL: next, Header: h})
		if err != nil {
			return err
		}
		page, err := DecodePage(resp.Body)
		if err != nil {
			return c.wrap(call, err)
		}
		if err := fn(page); err != nil {
			return err
		}
		if page.NextLink == next {
			return c.wrap(call, errors.New("the service returned the same nextLink again"))
		}
		next = page.NextLink
	}
	return nil
}

// Batch sends groups as one $batch to path (relative to the base URL) and decodes the answer. A 400 or
// more with a JSON body is an error for the whole batch; a multipart answer is decoded whatever its
// status, since a stopped Dataverse batch answers 400 with the failing part inside.
func (c *Client) Batch(ctx context.Context, call Call, path string, groups []Group, h http.Header, repeatable bool) ([]ResultGroup, error) {
	ct, body := EncodeBatch(groups)
	hdr := h.Clone()
	if hdr == nil {
		hdr = http.Header{}
	}
	hdr.Set("Content-Type", ct)
	resp, err := c.Do(ctx, call, transport.Request{Method: http.MethodPost, URL: path, Header: hdr, Body: body, Repeatable: repeatable})
	if resp == nil {
		return nil, err
	}
	rct := resp.Header.Get("Content-Type")
	if !strings.HasPrefix(strings.ToLower(rct), "multipart/") {
		if err != nil {
			return nil, err
		}
		return nil, c.wrap(call, errors.New("batch answer is not multipart: "+rct))
	}
	groupsOut, derr := DecodeBatch(rct, resp.Body)
	if derr != nil {
		return nil, c.wrap(call, derr)
	}
	return groupsOut, nil
}

// PagesBatch reads several queries with few requests: the first page of each of paths (absolute
// URLs of GET requests, sent with header h) travels in $batch requests to batchPath of at most
// perBatch operations, and a first page with an @odata.nextLink is followed on its own. fn is called
// with the index of the path and each of its pages, in order per path. A query the service refuses
// fails the whole read.
func (c *Client) PagesBatch(ctx context.Context, call Call, batchPath string, paths []string, h http.Header, perBatch int, fn func(i int, p Page) error) error {
	for start := 0; start < len(paths); start += perBatch {
		chunk := paths[start:min(start+perBatch, len(paths))]
		groups := make([]Group, len(chunk))
		for i, p := range chunk {
			groups[i] = Group{Ops: []Operation{{Method: http.MethodGet, URL: p, Header: h.Clone()}}}
		}
		answers, err := c.Batch(ctx, call, batchPath, groups, nil, true)
		if err != nil {
			return err
		}
		for i, outcomes := range Match(groups, answers) {
			o := outcomes[0]
			switch {
			case o.NotRun || o.Result == nil:
				return c.wrap(call, errors.New("the batch stopped before a query"))
			case o.Result.Status >= 400:
				return c.ErrorFrom(call, o.Result.Status, o.Result.Header, o.Result.Body)
			}
			page, err := DecodePage(o.Result.Body)
			if err != nil {
				return c.wrap(call, err)
			}
			if err := fn(start+i, page); err != nil {
				return err
			}
			if page.NextLink != "" {
				if err := c.Pages(ctx, call, page.NextLink, h, func(p Page) error { return fn(start+i, p) }); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
