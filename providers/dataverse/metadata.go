package dataverse

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
	"github.com/dwctl/dwctl/providers/transport"
)

// namesPerRequest bounds the "LogicalName eq … or …" filter of one metadata request.
const namesPerRequest = 40

type label struct {
	UserLocalizedLabel *struct{ Label string } `json:"UserLocalizedLabel"`
}

func (l label) text() string {
	if l.UserLocalizedLabel == nil {
		return ""
	}
	return l.UserLocalizedLabel.Label
}

type keyDef struct {
	MetadataID           string   `json:"MetadataId"`
	SchemaName           string   `json:"SchemaName"`
	LogicalName          string   `json:"LogicalName"`
	DisplayName          label    `json:"DisplayName"`
	KeyAttributes        []string `json:"KeyAttributes"`
	EntityKeyIndexStatus string   `json:"EntityKeyIndexStatus"`
}

func (k keyDef) key() providers.AlternateKey {
	return providers.AlternateKey{ID: k.MetadataID, SchemaName: k.SchemaName, LogicalName: k.LogicalName,
		DisplayName: k.DisplayName.text(), Columns: k.KeyAttributes, Status: providers.KeyStatus(k.EntityKeyIndexStatus)}
}

type attributeDef struct {
	LogicalName      string `json:"LogicalName"`
	AttributeType    string `json:"AttributeType"`
	IsPrimaryID      bool   `json:"IsPrimaryId"`
	IsValidForCreate *bool  `json:"IsValidForCreate"`
	IsValidForUpdate *bool  `json:"IsValidForUpdate"`
	RequiredLevel    struct {
		Value string `json:"Value"`
	} `json:"RequiredLevel"`
	MaxLength        int      `json:"MaxLength"`
	AutoNumberFormat string   `json:"AutoNumberFormat"`
	Targets          []string `json:"Targets"`
	OptionSet        *struct {
		Options []struct {
			Value int64 `json:"Value"`
			Label label `json:"Label"`
		} `json:"Options"`
	} `json:"OptionSet"`
}

func (a attributeDef) column() providers.Column {
	col := providers.Column{
		Name: a.LogicalName, Type: a.AttributeType, IsKey: a.IsPrimaryID,
		Required: a.RequiredLevel.Value == "ApplicationRequired" || a.RequiredLevel.Value == "SystemRequired",
		ReadOnly: a.IsValidForCreate != nil && a.IsValidForUpdate != nil && !*a.IsValidForCreate && !*a.IsValidForUpdate,
	}
	return col
}

type entityDef struct {
	LogicalName           string         `json:"LogicalName"`
	EntitySetName         string         `json:"EntitySetName"`
	PrimaryIDAttribute    string         `json:"PrimaryIdAttribute"`
	ChangeTrackingEnabled bool           `json:"ChangeTrackingEnabled"`
	Attributes            []attributeDef `json:"Attributes"`
	Keys                  []keyDef       `json:"Keys"`
}

const (
	attributeSelect = "LogicalName,AttributeType,IsPrimaryId,IsValidForCreate,IsValidForUpdate,RequiredLevel"
	keySelectList   = "MetadataId,SchemaName,LogicalName,DisplayName,KeyAttributes,EntityKeyIndexStatus"
)

// Tables reads the named tables (logical names) with their columns, keys, string lengths, autonumber
// formats, option sets and lookup targets. It costs one request per 40 tables for the definitions
// (a "LogicalName eq … or …" filter on EntityDefinitions [I: the metadata docs show single-name
// filters]) plus one $batch of three reads per table for the type-specific properties, each with the
// cast segment the documentation uses (option sets through $expand=OptionSet).
func (c *Client) Tables(ctx context.Context, names []string) ([]providers.Table, error) {
	var out []providers.Table
	for start := 0; start < len(names); start += namesPerRequest {
		chunk := names[start:min(start+namesPerRequest, len(names))]
		defs, err := c.entityDefs(ctx, chunk)
		if err != nil {
			return nil, err
		}
		if err := c.typedAttributes(ctx, defs); err != nil {
			return nil, err
		}
		for _, n := range chunk {
			t, ok := defs[strings.ToLower(n)]
			if !ok {
				return nil, &providers.Error{Environment: c.Environment(), Operation: "read metadata of", Table: n,
					Status: http.StatusNotFound, Message: "no table has this logical name"}
			}
			out = append(out, *t)
		}
	}
	return out, nil
}

func (c *Client) entityDefs(ctx context.Context, names []string) (map[string]*providers.Table, error) {
	terms := make([]string, len(names))
	for i, n := range names {
		lit, _ := odata.Literal(n)
		terms[i] = "LogicalName eq " + lit
	}
	path := odata.Path("EntityDefinitions", []odata.Param{
		{Name: "$select", Value: "LogicalName,EntitySetName,PrimaryIdAttribute,ChangeTrackingEnabled"},
		{Name: "$filter", Value: strings.Join(terms, " or ")},
		{Name: "$expand", Value: "Attributes($select=" + attributeSelect + "),Keys($select=" + keySelectList + ")"},
	})
	var doc struct{ Value []entityDef }
	if err := c.getJSON(ctx, call("read metadata of", strings.Join(names, ","), nil), path, &doc); err != nil {
		return nil, err
	}
	out := map[string]*providers.Table{}
	for _, e := range doc.Value {
		t := &providers.Table{LogicalName: e.LogicalName, EntitySetName: e.EntitySetName,
			PrimaryID: e.PrimaryIDAttribute, ChangeTracking: e.ChangeTrackingEnabled}
		for _, a := range e.Attributes {
			t.Columns = append(t.Columns, a.column())
		}
		for _, k := range e.Keys {
			t.Keys = append(t.Keys, k.key())
		}
		out[strings.ToLower(e.LogicalName)] = t
		c.mu.Lock()
		c.primary[e.EntitySetName] = e.PrimaryIDAttribute
		c.mu.Unlock()
	}
	return out, nil
}

// typedAttributes reads string, choice and lookup properties of every table in one $batch of GETs.
func (c *Client) typedAttributes(ctx context.Context, defs map[string]*providers.Table) error {
	casts := []struct{ cast, query string }{
		{"StringAttributeMetadata", "$select=LogicalName,MaxLength,AutoNumberFormat"},
		{"PicklistAttributeMetadata", "$select=LogicalName&$expand=OptionSet($select=Options)"},
		{"LookupAttributeMetadata", "$select=LogicalName,Targets"},
	}
	var groups []odata.Group
	var tables []*providers.Table
	for _, t := range defs {
		for _, k := range casts {
			url := fmt.Sprintf("%s%s/Attributes/Microsoft.Dynamics.CRM.%s?%s",
				c.base, entityPath(t.LogicalName), k.cast, k.query)
			groups = append(groups, odata.Group{Ops: []odata.Operation{{Method: http.MethodGet, URL: url,
				Header: http.Header{"Accept": {"application/json"}}}}})
		}
		tables = append(tables, t)
	}
	if len(groups) == 0 {
		return nil
	}
	cl := call("read column metadata", "", nil)
	answers, err := c.c.Batch(ctx, cl, "$batch", groups, http.Header{"Prefer": {"odata.continue-on-error"}}, true)
	if err != nil {
		return err
	}
	outcomes := odata.Match(groups, answers)
	for i, t := range tables {
		for j := range casts {
			o := outcomes[i*len(casts)+j][0]
			if o.NotRun || o.Result.Status >= 400 {
				return c.failedRead(call("read column metadata of", t.LogicalName, nil), o)
			}
			var doc struct{ Value []attributeDef }
			if err := json.Unmarshal(o.Result.Body, &doc); err != nil {
				return c.fail(call("read column metadata of", t.LogicalName, nil), err)
			}
			mergeTyped(t, doc.Value)
		}
	}
	return nil
}

func (c *Client) failedRead(cl odata.Call, o odata.Outcome) error {
	if o.Result == nil {
		return c.fail(cl, fmt.Errorf("no answer in the batch"))
	}
	return c.c.ErrorFrom(cl, o.Result.Status, o.Result.Header, o.Result.Body)
}

func mergeTyped(t *providers.Table, attrs []attributeDef) {
	for _, a := range attrs {
		for i := range t.Columns {
			col := &t.Columns[i]
			if col.Name != a.LogicalName {
				continue
			}
			if a.MaxLength > 0 {
				col.MaxLength = a.MaxLength
			}
			col.AutoNumberFormat = a.AutoNumberFormat
			if len(a.Targets) > 0 {
				col.Targets = a.Targets
			}
			if a.OptionSet != nil {
				for _, o := range a.OptionSet.Options {
					col.Options = append(col.Options, providers.Option{Value: o.Value, Label: o.Label.text()})
				}
			}
		}
	}
}

// getJSON GETs path and decodes the JSON answer into v.
func (c *Client) getJSON(ctx context.Context, cl odata.Call, path string, v any) error {
	resp, err := c.c.Do(ctx, cl, transport.Request{Method: http.MethodGet, URL: path})
	if err != nil {
		return err
	}
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return c.fail(cl, fmt.Errorf("decoding answer: %w", err))
	}
	return nil
}
