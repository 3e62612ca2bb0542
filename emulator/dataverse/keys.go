package dataverse

import (
	"cmp"
	"context"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// dvTarget is the row a key predicate addresses.
type dvTarget struct {
	id      string         // primary key, when known
	exists  bool           // whether a row is there
	row     store.Row      // the row, when it exists
	keyVals map[string]any // alternate-key values in stored form (lookups as _x_value)
	byKey   bool           // addressed by an alternate key
}

// resolveKey resolves a key predicate of t: the primary key (bare GUID or {pk}=GUID) or an Active
// alternate key whose column set matches exactly [D].
func (dv *Service) resolveKey(ctx context.Context, t *store.Table, pred string) (dvTarget, *wire.Error) {
	parts, err := wire.ParseKeyPredicate(pred)
	if err != nil {
		return dvTarget{}, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "Bad Request - Error in query syntax: %v.", err)
	}
	if len(parts) == 1 && (parts[0].Name == "" || parts[0].Name == t.PrimaryID) {
		id, ok := parts[0].Value.(string)
		if !ok || !wire.IsGUID(id) {
			return dvTarget{}, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "Unrecognized 'Edm.Guid' literal '%v' in the key of %s.", parts[0].Value, t.EntitySet)
		}
		return dv.loadTarget(ctx, t, dvTarget{id: strings.ToLower(id)})
	}
	vals, cols := map[string]any{}, make([]string, 0, len(parts))
	for _, p := range parts {
		col := p.Name
		if strings.HasPrefix(col, "_") && strings.HasSuffix(col, "_value") {
			col = strings.TrimSuffix(strings.TrimPrefix(col, "_"), "_value")
		}
		c, ok := t.Column(col)
		if !ok {
			return dvTarget{}, keyNotValid(t)
		}
		if s, ok := p.Value.(string); ok && strings.ContainsAny(s, `/<>*%&:\?+`) {
			return dvTarget{}, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The key value '%s' contains a character that cannot be used in a key in the URL (/ < > * %% & : \\ ? +).", s)
		}
		if store.IsLookup(c.Type) {
			vals[store.LookupValueName(c.Name)] = p.Value
		} else {
			vals[c.Name] = p.Value
		}
		cols = append(cols, c.Name)
	}
	k, ok := t.KeyFor(cols)
	if !ok {
		return dvTarget{}, keyNotValid(t)
	}
	id, found, err := dv.store.LookupKey(ctx, t, k, vals)
	if err != nil {
		return dvTarget{}, wire.StoreError(err)
	}
	target := dvTarget{keyVals: vals, byKey: true}
	if !found {
		return target, nil
	}
	target.id = id
	return dv.loadTarget(ctx, t, target)
}

func (dv *Service) loadTarget(ctx context.Context, t *store.Table, target dvTarget) (dvTarget, *wire.Error) {
	row, found, err := dv.store.Get(ctx, store.Dataverse, t.Name, target.id)
	if err != nil {
		return target, wire.StoreError(err)
	}
	target.exists, target.row = found, row
	return target, nil
}

func keyNotValid(t *store.Table) *wire.Error {
	return wire.NewError(http.StatusBadRequest, wire.CodeKeyNotValid, "The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.%s'. Ensure that the names and number of key properties match the declared or alternate key properties for the resource 'Microsoft.Dynamics.CRM.%s'.", t.Name, t.Name)
}

func notExist(t *store.Table, id string) *wire.Error {
	return wire.NewError(http.StatusNotFound, wire.CodeObjectDoesNotExist, "%s With Id = %s Does Not Exist", t.Name, id)
}

// resolveBind turns an @odata.bind value ("/cdm_companies(guid)", an absolute URL, or a key form) into
// the id of an existing row of one of the lookup's targets.
func (dv *Service) resolveBind(ctx context.Context, c *store.Column, ref string) (string, *wire.Error) {
	if i := strings.Index(ref, "/api/data/v9."); i >= 0 {
		ref = ref[i+len("/api/data/v9.2"):]
	}
	ref = strings.TrimPrefix(ref, "/")
	set, pred, hasKey, err := wire.SplitSegment(ref)
	if err != nil || !hasKey {
		return "", wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The @odata.bind value '%s' of %s is not a row reference.", ref, c.Name)
	}
	t, ok := dv.store.TableBySet(store.Dataverse, set)
	if !ok || !wire.ContainsFold(c.Targets, t.Name) {
		return "", wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The entity set '%s' is not a valid target of the lookup %s.", set, c.Name)
	}
	target, aerr := dv.resolveKey(ctx, t, pred)
	if aerr != nil {
		return "", aerr
	}
	if !target.exists {
		id := target.id
		if id == "" {
			id = pred
		}
		return "", notExist(t, id)
	}
	return target.id, nil
}

// checkLookupValue verifies that a lookup value taken from a key URL (_x_value) names an existing row
// of one of the lookup's targets.
func (dv *Service) checkLookupValue(ctx context.Context, t *store.Table, name string, v any) *wire.Error {
	if !strings.HasPrefix(name, "_") || !strings.HasSuffix(name, "_value") {
		return nil
	}
	c, ok := t.Column(strings.TrimSuffix(strings.TrimPrefix(name, "_"), "_value"))
	id, isStr := v.(string)
	if !ok || !isStr || v == nil {
		return nil
	}
	for _, target := range c.Targets {
		if tt, ok := dv.store.Table(store.Dataverse, target); ok {
			if _, found, err := dv.store.Get(ctx, store.Dataverse, tt.Name, id); err != nil {
				return wire.StoreError(err)
			} else if found {
				return nil
			}
		}
	}
	return wire.NewError(http.StatusNotFound, wire.CodeObjectDoesNotExist, "%s With Id = %s Does Not Exist", cmp.Or(strings.Join(c.Targets, "/"), c.Name), id)
}
