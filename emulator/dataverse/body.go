package dataverse

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// decodeDataverseBody parses a create/update body of t into stored form: plain columns checked
// against their metadata, NavProp@odata.bind turned into _x_value ids, annotations dropped, read-only
// system columns ignored [I: the service ignores or refuses them depending on the column].
func (dv *Service) decodeDataverseBody(ctx context.Context, t *store.Table, raw []byte) (map[string]any, *wire.Error) {
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The request body is not valid JSON: %v", err)
	}
	out := map[string]any{}
	for k, v := range body {
		if strings.HasSuffix(k, "@odata.bind") {
			if aerr := dv.bindLookup(ctx, t, strings.TrimSuffix(k, "@odata.bind"), v, out); aerr != nil {
				return nil, aerr
			}
			continue
		}
		if strings.Contains(k, "@") {
			continue
		}
		if k == t.PrimaryID {
			id, ok := v.(string)
			if !ok || !wire.IsGUID(id) {
				return nil, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "Cannot convert the literal '%v' to the expected type 'Edm.Guid'.", v)
			}
			out[k] = strings.ToLower(id)
			continue
		}
		c, ok := t.Column(k)
		if nested, isObj := v.(map[string]any); isObj && ok && store.IsLookup(c.Type) {
			id, aerr := dv.deepInsert(ctx, c, nested)
			if aerr != nil {
				return nil, aerr
			}
			out[store.LookupValueName(c.Name)] = id
			continue
		}
		if !ok || store.IsLookup(c.Type) {
			return nil, wire.NewError(http.StatusBadRequest, wire.CodeInvalidProperty, "Invalid property '%s' was found in entity 'Microsoft.Dynamics.CRM.%s'.", k, t.Name)
		}
		if c.ReadOnly {
			continue
		}
		if _, isObj := v.(map[string]any); isObj {
			return nil, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The property '%s' is not a navigation property: it cannot hold an object.", k)
		}
		if _, isList := v.([]any); isList {
			return nil, wire.NewError(http.StatusBadRequest, wire.CodeNotSupported, "Deep insert of related collections ('%s') is not supported by the emulator.", k)
		}
		if aerr := CheckValue(t, c, v); aerr != nil {
			return nil, aerr
		}
		out[c.Name] = NormalizeValue(c, v)
	}
	return out, nil
}

// deepInsert creates the row nested under a single-valued navigation property (in the caller's
// transaction) and returns its id [D: related rows can be created in the same POST].
func (dv *Service) deepInsert(ctx context.Context, c *store.Column, nested map[string]any) (string, *wire.Error) {
	target, ok := dv.store.Table(store.Dataverse, c.Targets[0])
	if !ok {
		return "", wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The lookup %s has no target table.", c.Name)
	}
	raw, err := json.Marshal(nested)
	if err != nil {
		return "", wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "%v", err)
	}
	fields, aerr := dv.decodeDataverseBody(ctx, target, raw)
	if aerr != nil {
		return "", aerr
	}
	row, aerr := dv.Insert(ctx, target, fields)
	return row.ID, aerr
}

// bindLookup handles Nav@odata.bind; customer lookups may name the target (parentcustomerid_account).
func (dv *Service) bindLookup(ctx context.Context, t *store.Table, nav string, v any, out map[string]any) *wire.Error {
	c, ok := lookupByNav(t, nav)
	if !ok {
		return wire.NewError(http.StatusBadRequest, wire.CodeInvalidProperty, "An undeclared property '%s' which only has property annotations in the payload but no property value was found in the payload.", nav)
	}
	if v == nil {
		out[store.LookupValueName(c.Name)] = nil
		return nil
	}
	ref, isStr := v.(string)
	if !isStr {
		return wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The value of %s@odata.bind must be a string.", nav)
	}
	id, aerr := dv.resolveBind(ctx, c, ref)
	if aerr != nil {
		return aerr
	}
	out[store.LookupValueName(c.Name)] = id
	return nil
}

func lookupByNav(t *store.Table, nav string) (*store.Column, bool) {
	if c, ok := t.Column(nav); ok && store.IsLookup(c.Type) {
		return c, true
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		if store.IsLookup(c.Type) && (strings.EqualFold(c.Name, nav) || strings.HasPrefix(strings.ToLower(nav), c.Name+"_")) {
			return c, true
		}
	}
	return nil, false
}

// CheckValue validates v against the column type, length and option set.
func CheckValue(t *store.Table, c *store.Column, v any) *wire.Error {
	if v == nil {
		return nil
	}
	bad := func() *wire.Error {
		return wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "Cannot convert the literal '%v' to the expected type of the attribute '%s' (%s).", v, c.Name, c.Type)
	}
	switch c.Type {
	case store.TypeString, store.TypeMemo:
		s, ok := v.(string)
		if !ok {
			return bad()
		}
		if c.MaxLength > 0 && len([]rune(s)) > c.MaxLength {
			return wire.NewError(http.StatusBadRequest, wire.CodeValidation, "A validation error occurred.  The length of the '%s' attribute of the '%s' entity exceeded the maximum allowed length of '%d'.", c.Name, t.Name, c.MaxLength)
		}
	case store.TypeInteger, store.TypeBigInt, store.TypePicklist, store.TypeState, store.TypeStatus:
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) {
			return bad()
		}
		if len(c.Options) > 0 && !hasOption(c, int(f)) {
			return wire.NewError(http.StatusBadRequest, "0x8004431a", "A validation error occurred. The value %d of '%s' on record of type '%s' is outside the valid range.", int(f), c.Name, t.Name)
		}
	case store.TypeDecimal, store.TypeMoney, store.TypeDouble:
		if _, ok := v.(float64); !ok {
			return bad()
		}
	case store.TypeBoolean:
		if _, ok := v.(bool); !ok {
			return bad()
		}
	case store.TypeDateTime, store.TypeDate:
		s, ok := v.(string)
		if !ok || !parsesAsDate(s) {
			return bad()
		}
	case store.TypeUniqueID, store.TypeGUID:
		s, ok := v.(string)
		if !ok || !wire.IsGUID(s) {
			return bad()
		}
	}
	return nil
}

func hasOption(c *store.Column, v int) bool {
	for _, o := range c.Options {
		if o.Value == v {
			return true
		}
	}
	return false
}

func parsesAsDate(s string) bool {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// NormalizeValue stores GUIDs lowercase and date-times in UTC.
func NormalizeValue(c *store.Column, v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	switch c.Type {
	case store.TypeUniqueID, store.TypeGUID:
		return strings.ToLower(s)
	case store.TypeDateTime:
		if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return tm.UTC().Format(time.RFC3339)
		}
	}
	return v
}
