package dataverse

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
	"github.com/dwctl/dwctl/providers/transport"
)

// Cond makes a single write conditional.
type Cond struct {
	// IfMatch is "*" (the row must exist) or an ETag (the row must not have changed since read).
	IfMatch string
	// IfNoneMatch "*" makes an upsert create-only: an existing row answers 412.
	IfNoneMatch string
}

func getRequest(path string) transport.Request {
	return transport.Request{Method: http.MethodGet, URL: path}
}

func jsonHeader() http.Header {
	return http.Header{"Content-Type": {"application/json"}}
}

// Create inserts row into set (POST). The result carries the new row's OData-EntityId.
func (c *Client) Create(ctx context.Context, set string, row providers.Row) (providers.WriteResult, error) {
	cl := call("create", set, nil)
	body, err := json.Marshal(row)
	if err != nil {
		return providers.WriteResult{}, c.fail(cl, err)
	}
	resp, err := c.c.Do(ctx, cl, transport.Request{Method: http.MethodPost, URL: set, Header: jsonHeader(), Body: body})
	if err != nil {
		return providers.WriteResult{Err: err, Status: status(resp)}, err
	}
	return result(resp.Status, resp.Header, resp.Body), nil
}

// Update changes the row at key (PATCH). The row must exist: If-Match is cond.IfMatch, or "*" so that an
// update never turns into a create.
func (c *Client) Update(ctx context.Context, set string, key providers.Key, row providers.Row, ifMatch string) (providers.WriteResult, error) {
	if ifMatch == "" {
		ifMatch = "*"
	}
	return c.patch(ctx, "update", set, key, row, Cond{IfMatch: ifMatch})
}

// Upsert creates or updates the row at key (PATCH without If-Match). It asks for the row back so that
// the result says whether it was created (201) or updated (200).
func (c *Client) Upsert(ctx context.Context, set string, key providers.Key, row providers.Row, cond Cond) (providers.WriteResult, error) {
	return c.patch(ctx, "upsert", set, key, row, cond)
}

func (c *Client) patch(ctx context.Context, op, set string, key providers.Key, row providers.Row, cond Cond) (providers.WriteResult, error) {
	cl := call(op, set, key)
	path, err := keyPath(set, key)
	if err != nil {
		return providers.WriteResult{Err: err}, c.fail(cl, err)
	}
	body, err := json.Marshal(row)
	if err != nil {
		return providers.WriteResult{Err: err}, c.fail(cl, err)
	}
	h := conditionHeader(cond)
	h.Set("Prefer", "return=representation")
	req := transport.Request{
		Method: http.MethodPatch, URL: odata.Path(path, keySelect(key)), Header: h, Body: body,
		Repeatable: cond.IfMatch == "" && cond.IfNoneMatch == "" || cond.IfMatch == "*",
	}
	resp, err := c.c.Do(ctx, cl, req)
	if err != nil {
		return providers.WriteResult{Err: err, Status: status(resp)}, err
	}
	return result(resp.Status, resp.Header, resp.Body), nil
}

// Delete removes the row at key; ifMatch, when set, must match its ETag.
func (c *Client) Delete(ctx context.Context, set string, key providers.Key, ifMatch string) error {
	cl := call("delete", set, key)
	path, err := keyPath(set, key)
	if err != nil {
		return c.fail(cl, err)
	}
	h := http.Header{}
	if ifMatch != "" {
		h.Set("If-Match", ifMatch)
	}
	_, err = c.c.Do(ctx, cl, transport.Request{Method: http.MethodDelete, URL: path, Header: h})
	return err
}

func conditionHeader(cond Cond) http.Header {
	h := jsonHeader()
	if cond.IfMatch != "" {
		h.Set("If-Match", cond.IfMatch)
	}
	if cond.IfNoneMatch != "" {
		h.Set("If-None-Match", cond.IfNoneMatch)
	}
	return h
}

// keySelect asks for only the key columns in a representation.
func keySelect(key providers.Key) []odata.Param {
	var cols []string
	for _, p := range key {
		if p.Name != "" {
			cols = append(cols, p.Name)
		}
	}
	return odata.QueryParams(providers.Query{Select: cols})
}

func status(resp *transport.Response) int {
	if resp == nil {
		return 0
	}
	return resp.Status
}

// result reads a successful write answer: 201 means created; the ETag and OData-EntityId headers
// (or the representation) say which row and which version.
func result(status int, h http.Header, body []byte) providers.WriteResult {
	r := providers.WriteResult{Status: status, Created: status == http.StatusCreated}
	r.EntityID = h.Get("OData-EntityId")
	if r.EntityID == "" {
		r.EntityID = h.Get("Location")
	}
	r.ETag = h.Get("ETag")
	if r.ETag == "" && len(body) > 0 && strings.HasPrefix(strings.TrimSpace(string(body)), "{") {
		if row, err := odata.DecodeRow(body); err == nil {
			r.ETag = row.ETag()
		}
	}
	return r
}
