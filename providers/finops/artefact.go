package finops

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
)

// Entity set names.
const (
	legalEntities   = "LegalEntities"
	sequences       = "SequenceV2Tables"
	projectConfigs  = "DualWriteProjectConfigurations"
	sequenceEnum    = "Microsoft.Dynamics.DataEntities.NumberSequenceType"
	sequenceColumns = "NumberSequenceCode,ScopeType,ScopeValue,Name,Format,Smallest,Largest,Next,Manual,Continuous,Stopped,InUse"
)

func str(r providers.Row, col string) string {
	switch v := r[col].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

func integer(r providers.Row, col string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSuffix(str(r, col), ".0"), 10, 64)
	return n
}

// yes reads a NoYes enum ("Yes"/"No", or a boolean).
func yes(r providers.Row, col string) bool {
	if b, ok := r[col].(bool); ok {
		return b
	}
	return strings.EqualFold(str(r, col), "Yes")
}

func noYes(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// LegalEntities lists every LegalEntities row.
func (c *Client) LegalEntities(ctx context.Context) ([]providers.Company, error) {
	rows, err := c.all(ctx, legalEntities, providers.Query{Select: []string{"LegalEntityId", "Name"}})
	if err != nil {
		return nil, err
	}
	out := make([]providers.Company, len(rows))
	for i, r := range rows {
		out[i] = providers.Company{Code: str(r, "LegalEntityId"), Name: str(r, "Name")}
	}
	return out, nil
}

// NumberSequences lists the SequenceV2Tables rows matching filter (all when ""), across companies.
func (c *Client) NumberSequences(ctx context.Context, filter string) ([]providers.NumberSequence, error) {
	params := odata.QueryParams(providers.Query{Filter: filter, Select: strings.Split(sequenceColumns, ",")})
	var out []providers.NumberSequence
	err := c.c.Pages(ctx, call("list", sequences, nil), odata.Path(sequences, crossCompany(params, true)), nil, func(p odata.Page) error {
		for _, r := range p.Rows {
			out = append(out, sequence(r))
		}
		return nil
	})
	return out, err
}

func sequence(r providers.Row) providers.NumberSequence {
	return providers.NumberSequence{
		Code: str(r, "NumberSequenceCode"), ScopeType: str(r, "ScopeType"), ScopeValue: str(r, "ScopeValue"),
		Name: str(r, "Name"), Format: str(r, "Format"),
		Smallest: integer(r, "Smallest"), Largest: integer(r, "Largest"), Next: integer(r, "Next"),
		Manual: yes(r, "Manual"), Continuous: yes(r, "Continuous"), Stopped: yes(r, "Stopped"), InUse: yes(r, "InUse"),
		ETag: r.ETag(),
	}
}

// sequenceKey is the composite key; ScopeType is an enum literal.
func sequenceKey(s providers.NumberSequence) providers.Key {
	return providers.Key{
		{Name: "NumberSequenceCode", Value: s.Code},
		{Name: "ScopeType", Value: providers.Enum{Type: sequenceEnum, Member: s.ScopeType}},
		{Name: "ScopeValue", Value: s.ScopeValue},
	}
}

// PutNumberSequence creates seq, or updates the sequence with its code and scope. The existing row is
// found with $filter rather than by key path, since reads by a key with an enum part answered 404 for
// existing rows in the field [O]. InUse is computed by F&O and never sent; an update changes only the
// fields that differ and is conditional on the ETag read.
func (c *Client) PutNumberSequence(ctx context.Context, seq providers.NumberSequence) (bool, error) {
	code, _ := odata.Literal(seq.Code)
	scope, _ := odata.Literal(seq.ScopeValue)
	kind, _ := odata.Literal(providers.Enum{Type: sequenceEnum, Member: seq.ScopeType})
	filter := fmt.Sprintf("NumberSequenceCode eq %s and ScopeType eq %s and ScopeValue eq %s", code, kind, scope)
	found, err := c.NumberSequences(ctx, filter)
	if err != nil {
		return false, err
	}
	if len(found) == 0 {
		row := sequenceRow(seq, providers.NumberSequence{}, true)
		path := odata.Path(sequences, crossCompany(nil, true))
		_, err := c.create(ctx, call("create", sequences, sequenceKey(seq)), path, row)
		return err == nil, err
	}
	row := sequenceRow(seq, found[0], false)
	if len(row) == 0 {
		return false, nil
	}
	return false, c.updateSequence(ctx, seq, row, found[0].ETag)
}

func (c *Client) updateSequence(ctx context.Context, seq providers.NumberSequence, row providers.Row, etag string) error {
	cl := call("update", sequences, sequenceKey(seq))
	path, err := keyPath(sequences, sequenceKey(seq), crossCompany(nil, true))
	if err != nil {
		return c.fail(cl, err)
	}
	return c.update(ctx, cl, path, row, etag)
}

// sequenceRow returns the fields of want that differ from have (all of them, with the key, on create).
func sequenceRow(want, have providers.NumberSequence, create bool) providers.Row {
	row := providers.Row{}
	set := func(name string, differs bool, v any) {
		if create || differs {
			row[name] = v
		}
	}
	if create {
		row["NumberSequenceCode"], row["ScopeType"], row["ScopeValue"] = want.Code, want.ScopeType, want.ScopeValue
	}
	set("Name", want.Name != have.Name, want.Name)
	set("Format", want.Format != have.Format, want.Format)
	set("Smallest", want.Smallest != have.Smallest, want.Smallest)
	set("Largest", want.Largest != have.Largest, want.Largest)
	set("Next", want.Next != have.Next, want.Next)
	set("Manual", want.Manual != have.Manual, noYes(want.Manual))
	set("Continuous", want.Continuous != have.Continuous, noYes(want.Continuous))
	set("Stopped", want.Stopped != have.Stopped, noYes(want.Stopped))
	return row
}

// ProjectConfigurations lists every DualWriteProjectConfigurations row [O].
func (c *Client) ProjectConfigurations(ctx context.Context) ([]providers.ProjectConfiguration, error) {
	rows, err := c.all(ctx, projectConfigs, providers.Query{Select: []string{"ProjectName", "InternalEntityName",
		"ExternalEntityName", "ExternalLogicalEntityName", "ExternalEnvironmentUrl", "Status", "IntegrationKey", "QueryFilterExpression"}})
	if err != nil {
		return nil, err
	}
	out := make([]providers.ProjectConfiguration, len(rows))
	for i, r := range rows {
		out[i] = providers.ProjectConfiguration{
			ProjectName: str(r, "ProjectName"), InternalEntityName: str(r, "InternalEntityName"),
			ExternalEntityName: str(r, "ExternalEntityName"), ExternalLogicalEntityName: str(r, "ExternalLogicalEntityName"),
			ExternalEnvironmentURL: str(r, "ExternalEnvironmentUrl"), Status: str(r, "Status"),
			IntegrationKey: str(r, "IntegrationKey"), QueryFilterExpression: str(r, "QueryFilterExpression"), ETag: r.ETag(),
		}
	}
	return out, nil
}
