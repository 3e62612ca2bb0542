package dataverse

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
	"github.com/dwctl/dwctl/providers/transport"
)

// entityPath is EntityDefinitions(LogicalName='table').
func entityPath(table string) string {
	pred, _ := odata.KeyPredicate(providers.Key{{Name: "LogicalName", Value: table}})
	return "EntityDefinitions" + pred
}

// AlternateKeys lists the alternate keys of table with their index status.
func (c *Client) AlternateKeys(ctx context.Context, table string) ([]providers.AlternateKey, error) {
	var doc struct{ Value []keyDef }
	path := entityPath(table) + "/Keys?$select=" + keySelectList
	if err := c.getJSON(ctx, call("list alternate keys of", table, nil), path, &doc); err != nil {
		return nil, err
	}
	out := make([]providers.AlternateKey, len(doc.Value))
	for i, k := range doc.Value {
		out[i] = k.key()
	}
	return out, nil
}

// CreateAlternateKey defines key on table (POST …/Keys) and reads it back. The index is built by the
// service afterwards: the key starts Pending and is usable once AlternateKeys reports it Active.
func (c *Client) CreateAlternateKey(ctx context.Context, table string, key providers.AlternateKey) (providers.AlternateKey, error) {
	cl := call("create alternate key "+key.SchemaName+" on", table, nil)
	if key.SchemaName == "" || len(key.Columns) == 0 {
		return key, c.fail(cl, errors.New("an alternate key needs a schema name and at least one column"))
	}
	display := key.DisplayName
	if display == "" {
		display = key.SchemaName
	}
	body, err := json.Marshal(map[string]any{
		"@odata.type":   "Microsoft.Dynamics.CRM.EntityKeyMetadata",
		"SchemaName":    key.SchemaName,
		"DisplayName":   newLabel(display),
		"KeyAttributes": key.Columns,
	})
	if err != nil {
		return key, c.fail(cl, err)
	}
	resp, err := c.c.Do(ctx, cl, transport.Request{Method: http.MethodPost, URL: entityPath(table) + "/Keys",
		Header: jsonHeader(), Body: body})
	if err != nil {
		return key, err
	}
	id := odata.EntityGUID(resp.Header.Get("OData-EntityId"))
	if id == "" {
		return c.keyBySchemaName(ctx, table, key.SchemaName)
	}
	var def keyDef
	path := entityPath(table) + "/Keys(" + string(id) + ")?$select=" + keySelectList
	if err := c.getJSON(ctx, cl, path, &def); err != nil {
		return key, err
	}
	return def.key(), nil
}

func (c *Client) keyBySchemaName(ctx context.Context, table, schema string) (providers.AlternateKey, error) {
	keys, err := c.AlternateKeys(ctx, table)
	if err != nil {
		return providers.AlternateKey{}, err
	}
	for _, k := range keys {
		if k.SchemaName == schema {
			return k, nil
		}
	}
	return providers.AlternateKey{}, &providers.Error{Environment: c.Environment(), Operation: "read alternate key " + schema + " of",
		Table: table, Status: http.StatusNotFound, Message: "the key was created but cannot be read back"}
}

// DeleteAlternateKey removes the key with MetadataId id from table (a pending index job is cancelled).
func (c *Client) DeleteAlternateKey(ctx context.Context, table, id string) error {
	cl := call("delete alternate key "+id+" of", table, nil)
	if !odata.IsGUID(id) {
		return c.fail(cl, errors.New("a key is deleted by its MetadataId"))
	}
	_, err := c.c.Do(ctx, cl, transport.Request{Method: http.MethodDelete, URL: entityPath(table) + "/Keys(" + id + ")"})
	return err
}

func newLabel(text string) map[string]any {
	return map[string]any{
		"@odata.type": "Microsoft.Dynamics.CRM.Label",
		"LocalizedLabels": []map[string]any{{
			"@odata.type": "Microsoft.Dynamics.CRM.LocalizedLabel", "Label": text, "LanguageCode": 1033,
		}},
	}
}
