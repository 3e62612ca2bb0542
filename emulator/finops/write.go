package finops

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"math"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// finOpsRelations are the foreign keys the emulator checks on F&O writes, as the entities' validateWrite
// does [O]: entity → field → related entity set (same company).
var finOpsRelations = map[string]map[string]string{
	"CustomerV3": {"CustomerGroupId": "CustomerGroups"},
	"VendorV2":   {"VendorGroupId": "VendorGroups"},
}

// resolveFinOpsKey parses a key predicate into the stored id, enforcing that every key field is named.
func (f *foRequest) resolve(ctx context.Context) (string, store.Row, bool, *wire.Error) {
	parts, err := wire.ParseKeyPredicate(f.pred)
	if err != nil {
		return "", store.Row{}, false, wire.NewError(http.StatusBadRequest, "", "Bad Request - Error in query syntax: %v.", err)
	}
	key := f.t.Keys[0].Columns
	if len(parts) == 1 && parts[0].Name == "" && len(key) == 1 {
		parts[0].Name = key[0] // a single-field key may be given bare: LegalEntities('USMF')
	}
	vals := map[string]any{}
	for _, p := range parts {
		vals[p.Name] = p.Value
	}
	if len(parts) != len(key) {
		return "", store.Row{}, false, wire.NewError(http.StatusBadRequest, "", "The number of keys specified in the URI does not match number of key properties for the resource 'Microsoft.Dynamics.DataEntities.%s'.", f.t.Name)
	}
	if c, ok := store.LookupFold(vals, "dataAreaId"); ok && !f.crossCompany() && !strings.EqualFold(wire.AnyString(c), finOpsDefaultCompany) {
		return "", store.Row{}, false, nil // rows of other companies are invisible without cross-company=true [O]
	}
	id, err := store.FinOpsID(f.t, vals)
	if err != nil {
		return "", store.Row{}, false, wire.NewError(http.StatusBadRequest, "", "%v", err)
	}
	row, found, err := f.fo.store.Get(ctx, store.FinOps, f.t.Name, id)
	if err != nil {
		return "", store.Row{}, false, wire.StoreError(err)
	}
	return id, row, found, nil
}

func (f *foRequest) notFound() *wire.Error {
	return wire.NewError(http.StatusNotFound, "", "No resources were found when selecting for update or read on %s(%s).", f.t.EntitySet, f.pred)
}

func (f *foRequest) get() {
	q, aerr := wire.ParseQuery(store.FinOps, f.r)
	if aerr == nil {
		aerr = f.checkColumns(q)
	}
	if aerr != nil {
		f.fail(aerr)
		return
	}
	_, row, found, aerr := f.resolve(f.r.Context())
	if aerr == nil && !found {
		aerr = f.notFound()
	}
	if aerr != nil {
		f.fail(aerr)
		return
	}
	body := f.render(row, q.Select)
	body["@odata.context"] = f.fo.base + "/data/$metadata#" + f.t.EntitySet + selectSuffix(q.Select) + "/$entity"
	f.w.Header().Set("ETag", wire.ETag(store.FinOps, row.Version))
	wire.WriteJSON(f.w, http.StatusOK, body)
}

// decodeFinOpsBody parses a body into stored form: property names matched case-insensitively, enums as
// member names, read-only fields refused (500, like the entity's validateField [O]).
func (fo *Service) decodeFinOpsBody(t *store.Table, raw []byte) (map[string]any, *wire.Error) {
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, wire.NewError(http.StatusBadRequest, "", "The request body is not valid JSON: %v", err)
	}
	out := map[string]any{}
	for k, v := range body {
		if strings.Contains(k, "@") {
			continue
		}
		c, ok := t.Column(k)
		if !ok {
			return nil, wire.NewError(http.StatusBadRequest, "", "The property '%s' does not exist on type 'Microsoft.Dynamics.DataEntities.%s'. Make sure to only use property names that are defined by the type.", k, t.Name)
		}
		if c.ReadOnly {
			return nil, wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Error: Field '%s' is not editable.", t.Name, c.Name)
		}
		val, aerr := Value(t, c, v)
		if aerr != nil {
			return nil, aerr
		}
		out[c.Name] = val
	}
	return out, nil
}

// Value checks v, as a client sent it, against the column c of t and returns its stored form.
func Value(t *store.Table, c *store.Column, v any) (any, *wire.Error) {
	bad := wire.NewError(http.StatusBadRequest, "", "Cannot convert the literal '%v' to the expected type of property '%s'.", v, c.Name)
	switch c.Type {
	case store.TypeEnum:
		s, ok := v.(string)
		if !ok {
			return nil, bad
		}
		for _, o := range c.Options {
			if strings.EqualFold(o.Label, s) {
				return o.Label, nil
			}
		}
		return nil, wire.NewError(http.StatusBadRequest, "", "The value '%s' is not a member of the enum %s of property '%s'.", s, c.EnumType, c.Name)
	case store.TypeInt64, store.TypeInteger:
		if n, ok := v.(float64); !ok || n != math.Trunc(n) {
			return nil, bad
		}
	case store.TypeReal:
		if _, ok := v.(float64); !ok {
			return nil, bad
		}
	case store.TypeString:
		s, ok := v.(string)
		if !ok && v != nil {
			return nil, bad
		}
		if c.MaxLength > 0 && len([]rune(s)) > c.MaxLength {
			return nil, wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Error: The value of field '%s' is longer than %d characters.", t.Name, c.Name, c.MaxLength)
		}
		if c.Name == "dataAreaId" {
			return strings.ToLower(s), nil
		}
	}
	return v, nil
}

func (f *foRequest) readBody() ([]byte, *wire.Error) {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, f.r.Body, wire.MaxBody))
	if err != nil {
		return nil, wire.NewError(http.StatusRequestEntityTooLarge, "", "The request body could not be read: %v", err)
	}
	return raw, nil
}

func (f *foRequest) create() {
	raw, aerr := f.readBody()
	if aerr != nil {
		f.fail(aerr)
		return
	}
	var row store.Row
	aerr = wire.UpdateStore(f.r.Context(), f.fo.store, func(ctx context.Context) *wire.Error {
		fields, aerr := f.fo.decodeFinOpsBody(f.t, raw)
		if aerr != nil {
			return aerr
		}
		row, aerr = f.fo.Insert(ctx, f.t, fields)
		return aerr
	})
	if aerr != nil {
		f.fail(aerr)
		return
	}
	body := f.render(row, nil)
	body["@odata.context"] = f.fo.base + "/data/$metadata#" + f.t.EntitySet + "/$entity"
	loc := f.fo.base + "/data/" + f.t.EntitySet + "(" + KeyPath(f.t, row.Data) + ")"
	f.w.Header().Set("Location", loc)
	f.w.Header().Set("OData-EntityId", loc)
	f.w.Header().Set("ETag", wire.ETag(store.FinOps, row.Version))
	wire.WriteJSON(f.w, http.StatusCreated, body)
}

// Insert creates an F&O row: defaults for missing fields, mandatory and related-row checks, and the
// duplicate-key failure in the entity's Infolog shape [O].
func (fo *Service) Insert(ctx context.Context, t *store.Table, fields map[string]any) (store.Row, *wire.Error) {
	data := map[string]any{}
	for _, c := range t.Columns {
		data[c.Name] = DefaultValue(c)
	}
	if t.CompanyColumn != "" {
		data[t.CompanyColumn] = finOpsDefaultCompany
	}
	for k, v := range fields {
		data[k] = v
	}
	if aerr := fo.CheckRow(ctx, t, data); aerr != nil {
		return store.Row{}, aerr
	}
	id, err := store.FinOpsID(t, data)
	if err != nil {
		return store.Row{}, wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Error: %v.", t.Name, err)
	}
	if _, found, err := fo.store.Get(ctx, store.FinOps, t.Name, id); err != nil {
		return store.Row{}, wire.StoreError(err)
	} else if found {
		return store.Row{}, wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Info: Cannot create a record in %s (%s). %s: %s. The record already exists..",
			t.Name, t.Label, t.Name, strings.Join(t.Keys[0].Columns, ", "), KeyPath(t, data))
	}
	version, err := fo.store.Put(ctx, t, store.Row{ID: id, Data: data})
	if err != nil {
		return store.Row{}, wire.StoreError(err)
	}
	if aerr := fo.syncWrite(ctx, t, nil, data); aerr != nil {
		return store.Row{}, aerr
	}
	return store.Row{ID: id, Version: version, Data: data}, nil
}

// DefaultValue is the value F&O gives a column a create leaves out.
func DefaultValue(c store.Column) any {
	switch c.Type {
	case store.TypeEnum:
		if len(c.Options) > 0 {
			return c.Options[0].Label
		}
	case store.TypeInt64, store.TypeInteger, store.TypeReal:
		return 0.0
	case store.TypeString:
		return "" // F&O answers empty strings, not nulls [D]
	case store.TypeDateTime:
		return "1900-01-01T12:00:00Z"
	}
	return nil
}

// CheckRow runs the validations of validateWrite: mandatory fields, related rows, sequence bounds.
func (fo *Service) CheckRow(ctx context.Context, t *store.Table, data map[string]any) *wire.Error {
	for _, c := range t.Columns {
		if c.Required && (data[c.Name] == nil || data[c.Name] == "") && !sharedScope(c, data) {
			return wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Warning: Field '%s' must be filled in.", t.Name, c.Name)
		}
	}
	for field, set := range finOpsRelations[t.Name] {
		v := wire.AnyString(data[field])
		if v == "" {
			continue
		}
		rel, _ := fo.store.TableBySet(store.FinOps, set)
		vals := map[string]any{"dataAreaId": data["dataAreaId"], rel.Keys[0].Columns[len(rel.Keys[0].Columns)-1]: v}
		id, err := store.FinOpsID(rel, vals)
		if err != nil {
			continue
		}
		if _, found, err := fo.store.Get(ctx, store.FinOps, rel.Name, id); err == nil && !found {
			return wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Warning: The value '%s' in field '%s' is not found in the related table '%s'.", t.Name, v, field, rel.Label)
		}
	}
	if t.EntitySet == "NumberSequencesV2References" {
		if aerr := fo.checkSequenceReference(ctx, t, data); aerr != nil {
			return aerr
		}
	}
	if t.EntitySet == "SequenceV2Tables" {
		next, small, large := num(data["Next"]), num(data["Smallest"]), num(data["Largest"])
		if large > 0 && (next < small || next > large) {
			return wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Error: The next number %v must be between the smallest %v and the largest %v.", t.Name, next, small, large)
		}
	}
	return nil
}

// sharedScope reports whether c is the empty scope value of a number sequence with the Shared
// scope, which has none [I].
func sharedScope(c store.Column, data map[string]any) bool {
	return c.Name == "ScopeValue" && strings.EqualFold(wire.AnyString(data["ScopeType"]), "Shared")
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

// KeyPath renders the key predicate of a row: dataAreaId='usmf',CustomerAccount='US-001'.
func KeyPath(t *store.Table, data map[string]any) string {
	var parts []string
	for _, k := range t.Keys[0].Columns {
		v := data[k]
		if s, ok := v.(string); ok {
			parts = append(parts, k+"='"+strings.ReplaceAll(s, "'", "''")+"'")
		} else {
			b, _ := json.Marshal(v)
			parts = append(parts, k+"="+string(b))
		}
	}
	return strings.Join(parts, ",")
}

// update serves PATCH/PUT: the row must exist (F&O has no upsert [I]); key fields cannot change.
func (f *foRequest) update() {
	raw, aerr := f.readBody()
	if aerr != nil {
		f.fail(aerr)
		return
	}
	aerr = wire.UpdateStore(f.r.Context(), f.fo.store, func(ctx context.Context) *wire.Error {
		id, row, found, aerr := f.resolve(ctx)
		if aerr != nil {
			return aerr
		}
		if !found {
			return f.notFound()
		}
		if im := f.r.Header.Get("If-Match"); im != "" && !wire.ETagMatches(im, wire.ETag(store.FinOps, row.Version)) {
			return wire.NewError(http.StatusPreconditionFailed, "", "The ETag value in the If-Match header does not match the current ETag value of the resource.")
		}
		fields, aerr := f.fo.decodeFinOpsBody(f.t, raw)
		if aerr != nil {
			return aerr
		}
		before := maps.Clone(row.Data)
		for k, v := range fields {
			if wire.ContainsFold(f.t.Keys[0].Columns, k) && store.CanonicalKeyPart(v) != store.CanonicalKeyPart(row.Data[k]) {
				return wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Error: The key field '%s' cannot be changed.", f.t.Name, k)
			}
			row.Data[k] = v
		}
		if aerr := f.fo.CheckRow(ctx, f.t, row.Data); aerr != nil {
			return aerr
		}
		if _, err := f.fo.store.Put(ctx, f.t, store.Row{ID: id, Data: row.Data}); err != nil {
			return wire.StoreError(err)
		}
		return f.fo.syncWrite(ctx, f.t, before, row.Data)
	})
	if aerr != nil {
		f.fail(aerr)
		return
	}
	f.w.WriteHeader(http.StatusNoContent)
}

func (f *foRequest) delete() {
	aerr := wire.UpdateStore(f.r.Context(), f.fo.store, func(ctx context.Context) *wire.Error {
		id, row, found, aerr := f.resolve(ctx)
		if aerr != nil {
			return aerr
		}
		if !found {
			return f.notFound()
		}
		if im := f.r.Header.Get("If-Match"); im != "" && !wire.ETagMatches(im, wire.ETag(store.FinOps, row.Version)) {
			return wire.NewError(http.StatusPreconditionFailed, "", "The ETag value in the If-Match header does not match the current ETag value of the resource.")
		}
		if _, err := f.fo.store.Delete(ctx, f.t, id); err != nil {
			return wire.StoreError(err)
		}
		return f.fo.syncWrite(ctx, f.t, row.Data, nil)
	})
	if aerr != nil {
		f.fail(aerr)
		return
	}
	f.w.WriteHeader(http.StatusNoContent)
}

// checkSequenceReference requires the referenced number sequence code to exist in the same scope
// before the reference [O].
func (fo *Service) checkSequenceReference(ctx context.Context, t *store.Table, data map[string]any) *wire.Error {
	code := wire.AnyString(data["NumberSequenceCode"])
	if code == "" {
		return nil
	}
	seq, _ := fo.store.TableBySet(store.FinOps, "SequenceV2Tables")
	id, err := store.FinOpsID(seq, map[string]any{"NumberSequenceCode": code, "ScopeType": data["ScopeType"], "ScopeValue": data["ScopeValue"]})
	if err != nil {
		return nil
	}
	if _, found, err := fo.store.Get(ctx, store.FinOps, seq.Name, id); err != nil {
		return wire.StoreError(err)
	} else if !found {
		return wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Warning: The value '%s' in field 'NumberSequenceCode' is not found in the related table '%s'.", t.Name, code, seq.Label)
	}
	return nil
}
