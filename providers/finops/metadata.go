package finops

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
	"github.com/dwctl/dwctl/providers/transport"
)

// namesPerRequest bounds the "… eq … or …" filter of one metadata request.
const namesPerRequest = 40

type publicEntity struct {
	Name          string `json:"Name"`
	EntitySetName string `json:"EntitySetName"`
	IsReadOnly    bool   `json:"IsReadOnly"`
	Properties    []struct {
		Name              string `json:"Name"`
		TypeName          string `json:"TypeName"`
		DataType          string `json:"DataType"`
		IsKey             bool   `json:"IsKey"`
		IsMandatory       bool   `json:"IsMandatory"`
		AllowEdit         bool   `json:"AllowEdit"`
		AllowEditOnCreate bool   `json:"AllowEditOnCreate"`
	} `json:"Properties"`
}

type publicEnum struct {
	Name    string `json:"Name"`
	Members []struct {
		Name  string `json:"Name"`
		Value int64  `json:"Value"`
	} `json:"Members"`
}

// Tables reads the entities named by public collection name from the metadata service
// (/Metadata/PublicEntities [O]), with their properties and key, and the members of their enumerations
// (/Metadata/PublicEnumerations): two requests per 40 entities.
func (c *Client) Tables(ctx context.Context, names []string) ([]providers.Table, error) {
	var out []providers.Table
	for start := 0; start < len(names); start += namesPerRequest {
		chunk := names[start:min(start+namesPerRequest, len(names))]
		var doc struct{ Value []publicEntity }
		cl := call("read metadata of", strings.Join(chunk, ","), nil)
		if err := c.getJSON(ctx, cl, "/Metadata/PublicEntities?"+odata.Encode([]odata.Param{{Name: "$filter", Value: anyOf("EntitySetName", chunk)}}), &doc); err != nil {
			return nil, err
		}
		enums, err := c.enumerations(ctx, doc.Value)
		if err != nil {
			return nil, err
		}
		bySet := map[string]publicEntity{}
		for _, e := range doc.Value {
			bySet[strings.ToLower(e.EntitySetName)] = e
		}
		for _, n := range chunk {
			e, ok := bySet[strings.ToLower(n)]
			if !ok {
				return nil, &providers.Error{Environment: c.Environment(), Operation: "read metadata of", Table: n,
					Status: http.StatusNotFound, Message: "no public entity has this collection name"}
			}
			out = append(out, table(e, enums))
		}
	}
	return out, nil
}

func table(e publicEntity, enums map[string][]providers.Option) providers.Table {
	t := providers.Table{LogicalName: e.Name, EntitySetName: e.EntitySetName, ReadOnly: e.IsReadOnly}
	key := providers.AlternateKey{SchemaName: "EntityKey", LogicalName: "entitykey", Status: providers.KeyActive}
	for _, p := range e.Properties {
		t.Columns = append(t.Columns, providers.Column{
			Name: p.Name, Type: p.DataType, Required: p.IsMandatory, IsKey: p.IsKey,
			ReadOnly: !p.AllowEdit && !p.AllowEditOnCreate, Options: enums[enumName(p.TypeName)],
		})
		if p.IsKey {
			key.Columns = append(key.Columns, p.Name)
		}
	}
	if len(key.Columns) > 0 {
		t.Keys = []providers.AlternateKey{key}
	}
	return t
}

// enumerations reads the members of every enumeration the entities use, in one request.
func (c *Client) enumerations(ctx context.Context, entities []publicEntity) (map[string][]providers.Option, error) {
	seen := map[string]bool{}
	var names []string
	for _, e := range entities {
		for _, p := range e.Properties {
			if n := enumName(p.TypeName); n != "" && strings.EqualFold(p.DataType, "Enum") && !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	out := map[string][]providers.Option{}
	if len(names) == 0 {
		return out, nil
	}
	sort.Strings(names)
	var doc struct{ Value []publicEnum }
	cl := call("read enumerations", strings.Join(names, ","), nil)
	if err := c.getJSON(ctx, cl, "/Metadata/PublicEnumerations?"+odata.Encode([]odata.Param{{Name: "$filter", Value: anyOf("Name", names)}}), &doc); err != nil {
		return nil, err
	}
	for _, e := range doc.Value {
		for _, m := range e.Members {
			out[e.Name] = append(out[e.Name], providers.Option{Value: m.Value, Label: m.Name})
		}
	}
	return out, nil
}

// enumName returns NoYes for Microsoft.Dynamics.DataEntities.NoYes, "" for Edm types.
func enumName(typeName string) string {
	if strings.HasPrefix(typeName, "Edm.") || typeName == "" {
		return ""
	}
	return typeName[strings.LastIndexByte(typeName, '.')+1:]
}

// anyOf returns "field eq 'a' or field eq 'b' …".
func anyOf(field string, values []string) string {
	terms := make([]string, len(values))
	for i, v := range values {
		lit, _ := odata.Literal(v)
		terms[i] = field + " eq " + lit
	}
	return strings.Join(terms, " or ")
}

// getJSON GETs path (relative to /data/, or an absolute path on the host) and decodes the answer.
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
