package copier

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/emulator/dataverse"
	"github.com/dwctl/dwctl/emulator/finops"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/mapping"
)

// fail records one row's initial-sync error; the service keeps the first five visible [D].
func (r *Run) fail(recordID, field, msg string) {
	r.Result.Errors++
	if len(r.Result.First) < 5 {
		r.Result.First = append(r.Result.First, RowError{RecordID: recordID, Field: field, Message: msg})
	}
}

// toDataverse writes an F&O row into Dataverse: inserted when Dataverse has no row with its key,
// else updated, Dataverse keeping its bidirectional values when it is the master.
func (r *Run) toDataverse(ctx context.Context, fr *sideRow, existing *sideRow) error {
	r.Result.Exported++
	id := finops.KeyPath(r.FO, fr.row.Data)
	if fr.err != nil {
		r.fail(id, "", fr.err.Error())
		return nil
	}
	out := fr.out
	if existing != nil {
		out = r.Map.ForUpdate(out, mapping.Dataverse, r.Master, r.Key)
	}
	fields, field, msg := r.DataverseFields(ctx, out)
	if msg != "" {
		r.fail(id, field, msg)
		return nil
	}
	if existing == nil {
		if _, aerr := r.Dataverse.Insert(ctx, r.DV, fields); aerr != nil {
			r.fail(id, "", aerr.Message)
			return nil
		}
		r.Result.Inserted++
		r.Result.Upserts++
		return nil
	}
	data := cloneData(existing.row.Data)
	for k, v := range fields {
		data[k] = v
	}
	data["modifiedon"] = r.Clock().UTC().Format("2006-01-02T15:04:05Z")
	if _, aerr := r.Dataverse.Put(ctx, r.DV, store.Row{ID: existing.row.ID, Data: data}); aerr != nil {
		r.fail(id, "", aerr.Message)
		return nil
	}
	r.Result.Updated++
	r.Result.Upserts++
	return nil
}

// DataverseFields converts transformed values to the stored form: typed values, lookups bound by
// their target's key.
func (r *Run) DataverseFields(ctx context.Context, out map[string]any) (map[string]any, string, string) {
	fields := map[string]any{}
	for name, v := range out {
		head, rest, path := strings.Cut(name, ".")
		col, ok := r.DV.Column(head)
		if !ok {
			return nil, name, "Missing destination field " + name + " in the schema."
		}
		if path {
			id, msg := r.bindTarget(ctx, col, rest, mapping.Text(v))
			if msg != "" {
				return nil, name, msg
			}
			fields[store.LookupValueName(col.Name)] = id
			continue
		}
		val, err := dataverseTyped(col, v)
		if err == nil {
			if aerr := dataverse.CheckValue(r.DV, col, val); aerr != nil {
				err = fmt.Errorf("%s", aerr.Message)
			}
		}
		if err != nil {
			return nil, name, err.Error()
		}
		fields[col.Name] = dataverse.NormalizeValue(col, val)
	}
	return fields, "", ""
}

// bindTarget finds the row of a lookup's target whose column equals value (in the run's company
// when the target is company-specific) [D: "Couldn't resolve the guid for the field"].
func (r *Run) bindTarget(ctx context.Context, col *store.Column, column, value string) (any, string) {
	if value == "" {
		return nil, ""
	}
	for _, tc := range lookupTargets(col, column) {
		t, ok := r.Store.Table(store.Dataverse, tc.table)
		if !ok {
			continue
		}
		vals := map[string]any{tc.column: value}
		cols := []string{tc.column}
		if t.CompanyColumn != "" && r.DVCompanyID != "" {
			vals[store.LookupValueName(t.CompanyColumn)] = r.DVCompanyID
			cols = append(cols, t.CompanyColumn)
		}
		k, ok := t.KeyFor(cols)
		if !ok {
			continue
		}
		if id, found, err := r.Store.LookupKey(ctx, t, k, vals); err == nil && found {
			return id, ""
		}
	}
	return nil, fmt.Sprintf("Couldn't resolve the guid for the field: %s.%s. The lookup wasn't found: %s", col.Name, column, value)
}

// optionByLabel finds the option of a choice column whose label is an F&O enum member's name,
// ignoring case and spaces: an enum mapped to a choice without a value map travels by name [I].
func optionByLabel(c *store.Column, name string) (store.Option, bool) {
	squash := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }
	for _, o := range c.Options {
		if squash(o.Label) == squash(name) {
			return o, true
		}
	}
	return store.Option{}, false
}

// dataverseTyped converts a mapped value to a Dataverse column's JSON type.
func dataverseTyped(c *store.Column, v any) (any, error) {
	s := mapping.Text(v)
	if v == nil || (s == "" && c.Type != store.TypeString && c.Type != store.TypeMemo) {
		return nil, nil
	}
	switch c.Type {
	case store.TypeInteger, store.TypeBigInt, store.TypePicklist, store.TypeState, store.TypeStatus, store.TypeDecimal, store.TypeMoney, store.TypeDouble:
		f, err := strconv.ParseFloat(s, 64)
		if err == nil {
			return f, nil
		}
		if o, ok := optionByLabel(c, s); ok {
			return float64(o.Value), nil
		}
		return nil, fmt.Errorf("Cannot convert the literal '%s' to the expected type of the attribute '%s' (%s).", s, c.Name, c.Type)
	case store.TypeBoolean:
		switch strings.ToLower(s) {
		case "true", "yes", "1":
			return true, nil
		case "false", "no", "0":
			return false, nil
		}
		return nil, fmt.Errorf("Cannot convert the literal '%s' to the expected type of the attribute '%s' (Boolean).", s, c.Name)
	case store.TypeString, store.TypeMemo:
		return s, nil
	}
	return v, nil
}

// toFinOps writes a Dataverse row into F&O: inserted when F&O has no row with its key, else
// updated, F&O keeping its bidirectional values when it is the master.
func (r *Run) toFinOps(ctx context.Context, dr *sideRow, existing *sideRow) error {
	r.Result.Exported++
	if dr.err != nil {
		r.fail(dr.row.ID, "", dr.err.Error())
		return nil
	}
	out := dr.out
	if existing != nil {
		out = r.Map.ForUpdate(out, mapping.FinOps, r.Master, nil)
	}
	fields := map[string]any{}
	for name, v := range out {
		col, ok := r.FO.Column(name)
		if !ok {
			r.fail(dr.row.ID, name, "Missing destination field "+name+" in the schema.")
			return nil
		}
		val, aerr := finops.Value(r.FO, col, FinOpsTyped(col, v))
		if aerr != nil {
			r.fail(dr.row.ID, name, aerr.Message)
			return nil
		}
		fields[col.Name] = val
	}
	if existing == nil {
		if _, aerr := r.FinOps.Insert(ctx, r.FO, fields); aerr != nil {
			r.fail(dr.row.ID, "", aerr.Message)
			return nil
		}
		r.Result.Inserted++
		r.Result.Upserts++
		return nil
	}
	data := cloneData(existing.row.Data)
	for k, v := range fields {
		data[k] = v
	}
	if aerr := r.FinOps.CheckRow(ctx, r.FO, data); aerr != nil {
		r.fail(dr.row.ID, "", aerr.Message)
		return nil
	}
	if _, err := r.Store.Put(ctx, r.FO, store.Row{ID: existing.row.ID, Data: data}); err != nil {
		return err
	}
	r.Result.Updated++
	r.Result.Upserts++
	return nil
}

// FinOpsTyped converts a mapped value to an F&O field's JSON type (enums stay names); a null becomes
// the field's empty value, as F&O has no nulls [D].
func FinOpsTyped(c *store.Column, v any) any {
	if v == nil {
		return finops.DefaultValue(*c)
	}
	s := mapping.Text(v)
	switch c.Type {
	case store.TypeInt64, store.TypeInteger, store.TypeReal:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
		if s == "" {
			return 0.0
		}
	case store.TypeString:
		return s
	case store.TypeEnum:
		if b, ok := v.(bool); ok && c.EnumType == "NoYes" {
			return map[bool]string{false: "No", true: "Yes"}[b]
		}
		return s
	}
	return v
}

func cloneData(d map[string]any) map[string]any {
	out := make(map[string]any, len(d))
	for k, v := range d {
		out[k] = v
	}
	return out
}
