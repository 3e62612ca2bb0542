package dataverse

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
	"github.com/dwctl/dwctl/providers/transport"
)

func attributePath(table, column string) string {
	pred, _ := odata.KeyPredicate(providers.Key{{Name: "LogicalName", Value: column}})
	return entityPath(table) + "/Attributes" + pred
}

// AutoNumber reads the AutoNumberFormat of a string column and the value {SEQNUM} gives next
// (the GetNextAutoNumberValue action; a read, so safe to repeat).
func (c *Client) AutoNumber(ctx context.Context, table, column string) (providers.AutoNumber, error) {
	cl := call("read autonumber of "+column+" in", table, nil)
	an := providers.AutoNumber{Table: table, Column: column}
	var attr attributeDef
	path := attributePath(table, column) + "/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,AutoNumberFormat"
	if err := c.getJSON(ctx, cl, path, &attr); err != nil {
		return an, err
	}
	an.Format = attr.AutoNumberFormat
	if an.Format == "" {
		return an, nil
	}
	body, _ := json.Marshal(map[string]string{"EntityName": table, "AttributeName": column})
	resp, err := c.c.Do(ctx, cl, transport.Request{Method: http.MethodPost, URL: "GetNextAutoNumberValue",
		Header: jsonHeader(), Body: body, Repeatable: true})
	if err != nil {
		return an, err
	}
	var next struct{ NextAutoNumberValue json.Number }
	if err := json.Unmarshal(resp.Body, &next); err != nil {
		return an, c.fail(cl, err)
	}
	if an.Next, err = strconv.ParseInt(next.NextAutoNumberValue.String(), 10, 64); err != nil {
		return an, c.fail(cl, err)
	}
	return an, nil
}

// SetAutoNumberFormat sets AutoNumberFormat on an existing string column: it reads the column's full
// definition and PUTs it back changed, with MSCRM.MergeLabels so that other languages' labels stay.
func (c *Client) SetAutoNumberFormat(ctx context.Context, table, column, format string) error {
	cl := call("set autonumber format of "+column+" in", table, nil)
	var def map[string]any
	path := attributePath(table, column) + "/Microsoft.Dynamics.CRM.StringAttributeMetadata"
	if err := c.getJSON(ctx, cl, path, &def); err != nil {
		return err
	}
	delete(def, "@odata.context")
	def["@odata.type"] = "Microsoft.Dynamics.CRM.StringAttributeMetadata"
	def["AutoNumberFormat"] = format
	body, err := json.Marshal(def)
	if err != nil {
		return c.fail(cl, err)
	}
	h := jsonHeader()
	h.Set("MSCRM.MergeLabels", "true")
	_, err = c.c.Do(ctx, cl, transport.Request{Method: http.MethodPut, URL: attributePath(table, column), Header: h, Body: body})
	return err
}

// SetAutoNumberSeed sets the next {SEQNUM} value of an autonumber column. Seeds belong to the
// environment and are never carried by solutions.
func (c *Client) SetAutoNumberSeed(ctx context.Context, table, column string, seed int64) error {
	cl := call("set autonumber seed of "+column+" in", table, nil)
	body, _ := json.Marshal(map[string]any{"EntityName": table, "AttributeName": column, "Value": seed})
	_, err := c.c.Do(ctx, cl, transport.Request{Method: http.MethodPost, URL: "SetAutoNumberSeed",
		Header: jsonHeader(), Body: body, Repeatable: true})
	return err
}
