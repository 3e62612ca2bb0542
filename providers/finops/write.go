package finops

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
	"github.com/dwctl/dwctl/providers/transport"
)

func jsonHeader() http.Header {
	return http.Header{"Content-Type": {"application/json"}}
}

// withKey returns row with the key's values added, as an F&O create needs every key field in the body.
func withKey(row providers.Row, key providers.Key) providers.Row {
	out := make(providers.Row, len(row)+len(key))
	for k, v := range row {
		out[k] = v
	}
	for _, p := range key {
		switch v := p.Value.(type) {
		case providers.Enum:
			out[p.Name] = v.Member
		case providers.GUID:
			out[p.Name] = string(v)
		default:
			out[p.Name] = v
		}
	}
	return out
}

// Create inserts row (POST, 201 with the row). Server-side defaulting and number-sequence allocation
// happen here, so the row is returned as the service answered it (with its ETag).
func (c *Client) Create(ctx context.Context, set string, row providers.Row) (providers.Row, error) {
	path := odata.Path(set, crossCompany(nil, namesCompany(nil, row)))
	return c.create(ctx, call("create", set, nil), path, row)
}

func (c *Client) create(ctx context.Context, cl odata.Call, path string, row providers.Row) (providers.Row, error) {
	body, err := json.Marshal(row)
	if err != nil {
		return nil, c.fail(cl, err)
	}
	resp, err := c.c.Do(ctx, cl, transport.Request{Method: http.MethodPost, URL: path, Header: jsonHeader(), Body: body})
	if err != nil {
		return nil, err
	}
	if len(resp.Body) == 0 {
		return providers.Row{}, nil
	}
	created, err := odata.DecodeRow(resp.Body)
	if err != nil {
		return nil, c.fail(cl, err)
	}
	return created, nil
}

// Update changes the row at key (PATCH, 204); ifMatch, when set, must match its ETag.
func (c *Client) Update(ctx context.Context, set string, key providers.Key, row providers.Row, ifMatch string) error {
	cl := call("update", set, key)
	path, err := keyPath(set, key, nil)
	if err != nil {
		return c.fail(cl, err)
	}
	return c.update(ctx, cl, path, row, ifMatch)
}

func (c *Client) update(ctx context.Context, cl odata.Call, path string, row providers.Row, ifMatch string) error {
	body, err := json.Marshal(row)
	if err != nil {
		return c.fail(cl, err)
	}
	h := jsonHeader()
	if ifMatch != "" {
		h.Set("If-Match", ifMatch)
	}
	_, err = c.c.Do(ctx, cl, transport.Request{Method: http.MethodPatch, URL: path, Header: h, Body: body,
		Repeatable: ifMatch == "" || ifMatch == "*"})
	return err
}

// Upsert creates the row at key or updates it. F&O OData has no upsert, so this reads the key first
// and then POSTs or PATCHes; it reports whether the row was created.
func (c *Client) Upsert(ctx context.Context, set string, key providers.Key, row providers.Row) (bool, error) {
	found, err := c.exists(ctx, set, key)
	switch {
	case err != nil:
		return false, err
	case found:
		return false, c.Update(ctx, set, key, row, "")
	}
	_, err = c.Create(ctx, set, withKey(row, key))
	if errors.Is(err, transport.ErrOutcomeUnknown) {
		// The answer was lost: the row may have been created. F&O creates are not idempotent, so
		// look before creating again.
		if found, ferr := c.exists(ctx, set, key); ferr == nil && found {
			return true, c.Update(ctx, set, key, row, "")
		} else if ferr == nil {
			_, err = c.Create(ctx, set, withKey(row, key))
		}
	}
	return err == nil, err
}

// Delete removes the row at key; ifMatch, when set, must match its ETag.
func (c *Client) Delete(ctx context.Context, set string, key providers.Key, ifMatch string) error {
	cl := call("delete", set, key)
	path, err := keyPath(set, key, nil)
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

func keyNames(key providers.Key) []string {
	names := make([]string, 0, len(key))
	for _, p := range key {
		names = append(names, p.Name)
	}
	return names
}
