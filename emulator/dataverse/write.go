package dataverse

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

func (d *dvRequest) get() {
	q, aerr := wire.ParseQuery(store.Dataverse, d.r)
	if aerr == nil {
		aerr = d.checkColumns(q)
	}
	if aerr != nil {
		d.fail(aerr)
		return
	}
	target, aerr := d.dv.resolveKey(d.r.Context(), d.t, d.pred)
	if aerr != nil {
		d.fail(aerr)
		return
	}
	if !target.exists {
		d.fail(notExist(d.t, cmp.Or(target.id, d.pred)))
		return
	}
	etag := wire.ETag(store.Dataverse, target.row.Version)
	if inm := d.r.Header.Get("If-None-Match"); inm != "" && inm != "null" && len(q.Expand) == 0 && wire.ETagMatches(inm, etag) {
		d.w.Header().Set("ETag", etag)
		d.w.WriteHeader(http.StatusNotModified)
		return
	}
	body := d.render(target.row, q)
	body["@odata.context"] = d.context(q.Select, true)
	d.w.Header().Set("ETag", etag)
	wire.WriteJSON(d.w, http.StatusOK, body)
}

func (d *dvRequest) readBody() ([]byte, *wire.Error) {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, d.r.Body, wire.MaxBody))
	if err != nil {
		return nil, wire.NewError(http.StatusRequestEntityTooLarge, "", "The request body could not be read: %v", err)
	}
	return raw, nil
}

func (d *dvRequest) create() {
	raw, aerr := d.readBody()
	if aerr != nil {
		d.fail(aerr)
		return
	}
	ctx := d.r.Context()
	var row store.Row
	aerr = wire.UpdateStore(ctx, d.dv.store, func(ctx context.Context) *wire.Error {
		fields, aerr := d.dv.decodeDataverseBody(ctx, d.t, raw)
		if aerr != nil {
			return aerr
		}
		row, aerr = d.dv.Insert(ctx, d.t, fields)
		if aerr != nil {
			return aerr
		}
		return d.dv.addToSolution(ctx, d.t, &row, d.r.Header.Get("MSCRM.SolutionUniqueName"))
	})
	if aerr != nil {
		d.fail(aerr)
		return
	}
	d.answerWrite(row, d.base()+d.t.EntitySet+"("+row.ID+")", true)
}

// Insert creates a row of t: id, system columns, autonumbers, computed columns, key checks.
func (dv *Service) Insert(ctx context.Context, t *store.Table, fields map[string]any) (store.Row, *wire.Error) {
	id, _ := fields[t.PrimaryID].(string)
	if id == "" {
		id = wire.NewGUID()
	}
	if _, found, err := dv.store.Get(ctx, store.Dataverse, t.Name, id); err != nil {
		return store.Row{}, wire.StoreError(err)
	} else if found {
		return store.Row{}, wire.NewError(http.StatusPreconditionFailed, "0x80040237", "Cannot insert duplicate key. A record with id %s already exists in %s.", id, t.Name)
	}
	now := dv.clock().UTC().Format(time.RFC3339)
	data := map[string]any{t.PrimaryID: id, "createdon": now, "modifiedon": now}
	for _, c := range t.Columns {
		if _, has := data[c.Name]; !has && !store.IsLookup(c.Type) && c.Name != "versionnumber" {
			data[c.Name] = defaultValue(c)
		}
		if store.IsLookup(c.Type) {
			data[store.LookupValueName(c.Name)] = nil
		}
	}
	for k, v := range fields {
		data[k] = v
	}
	if aerr := dv.fillAutoNumbers(ctx, t, data, fields); aerr != nil {
		return store.Row{}, aerr
	}
	return dv.Put(ctx, t, store.Row{ID: id, Data: data})
}

func defaultValue(c store.Column) any {
	switch c.Type {
	case store.TypeState:
		return 0.0
	case store.TypeStatus:
		if len(c.Options) > 0 {
			return float64(c.Options[0].Value)
		}
	case store.TypeBoolean:
		return false
	}
	return nil
}

// Put computes derived columns and stores the row, mapping key conflicts to the service's 412.
func (dv *Service) Put(ctx context.Context, t *store.Table, row store.Row) (store.Row, *wire.Error) {
	if aerr := dv.checkRuntime(ctx, t); aerr != nil {
		return store.Row{}, aerr
	}
	if aerr := dv.companyOwnerTeam(ctx, t, row); aerr != nil {
		return store.Row{}, aerr
	}
	if t.Name == "contact" {
		first, _ := row.Data["firstname"].(string)
		last, _ := row.Data["lastname"].(string)
		row.Data["fullname"] = strings.TrimSpace(first + " " + last)
	}
	before := dv.runtimeOld(ctx, t, row.ID)
	var conflict *store.KeyConflictError
	version, err := dv.store.Put(ctx, t, row)
	if errors.As(err, &conflict) {
		return store.Row{}, wire.NewError(http.StatusPreconditionFailed, wire.CodeDuplicateKey, "A record that has the attribute values %s already exists. The entity key %s requires that this set of attributes contains unique values. Select unique values and try again.",
			strings.Join(conflict.Columns, ", "), conflict.Key)
	}
	if err != nil {
		return store.Row{}, wire.StoreError(err)
	}
	row.Version = version
	if _, has := row.Data["versionnumber"]; has || t.Service == store.Dataverse {
		row.Data["versionnumber"] = float64(version)
	}
	if aerr := dv.syncWrite(ctx, t, before, row.Data); aerr != nil {
		return store.Row{}, aerr
	}
	return row, nil
}

// upsert serves PATCH on a key URL: update, or create when missing, with If-Match/If-None-Match [D].
func (d *dvRequest) upsert() {
	raw, aerr := d.readBody()
	if aerr != nil {
		d.fail(aerr)
		return
	}
	var row store.Row
	var created bool
	aerr = wire.UpdateStore(d.r.Context(), d.dv.store, func(ctx context.Context) *wire.Error {
		target, aerr := d.dv.resolveKey(ctx, d.t, d.pred)
		if aerr != nil {
			return aerr
		}
		if aerr := d.conditions(target); aerr != nil {
			return aerr
		}
		fields, aerr := d.dv.decodeDataverseBody(ctx, d.t, raw)
		if aerr != nil {
			return aerr
		}
		created = !target.exists
		row, aerr = d.dv.dvUpsertRow(ctx, d.t, target, fields)
		return aerr
	})
	if aerr != nil {
		d.fail(aerr)
		return
	}
	d.answerWrite(row, d.base()+d.t.EntitySet+"("+d.pred+")", created)
}

func (d *dvRequest) conditions(target dvTarget) *wire.Error {
	ifMatch, ifNone := d.r.Header.Get("If-Match"), d.r.Header.Get("If-None-Match")
	switch {
	case ifMatch != "" && !target.exists:
		return notExist(d.t, cmp.Or(target.id, d.pred))
	case ifMatch != "" && !wire.ETagMatches(ifMatch, wire.ETag(store.Dataverse, target.row.Version)):
		return wire.NewError(http.StatusPreconditionFailed, wire.CodeVersionMismatch, "The version of the existing record doesn't match the RowVersion property provided.")
	case ifNone == "*" && target.exists:
		return wire.NewError(http.StatusPreconditionFailed, wire.CodeDuplicateKey, "A record with matching key values already exists.")
	}
	return nil
}

// dvUpsertRow applies fields to the target: on update the addressed key columns are dropped; on
// create the URL key values fill the key columns the body lacks [D].
func (dv *Service) dvUpsertRow(ctx context.Context, t *store.Table, target dvTarget, fields map[string]any) (store.Row, *wire.Error) {
	if !target.exists {
		for k, v := range target.keyVals {
			if _, has := fields[k]; has {
				continue
			}
			if aerr := dv.checkLookupValue(ctx, t, k, v); aerr != nil {
				return store.Row{}, aerr
			}
			fields[k] = v
		}
		if target.id != "" {
			fields[t.PrimaryID] = target.id
		}
		return dv.Insert(ctx, t, fields)
	}
	row := target.row
	for k, v := range fields {
		if _, isKey := target.keyVals[k]; isKey || k == t.PrimaryID {
			continue
		}
		row.Data[k] = v
	}
	row.Data["modifiedon"] = dv.clock().UTC().Format(time.RFC3339)
	return dv.Put(ctx, t, row)
}

func (d *dvRequest) delete() {
	aerr := wire.UpdateStore(d.r.Context(), d.dv.store, func(ctx context.Context) *wire.Error {
		target, aerr := d.dv.resolveKey(ctx, d.t, d.pred)
		if aerr != nil {
			return aerr
		}
		if !target.exists {
			return notExist(d.t, cmp.Or(target.id, d.pred))
		}
		if im := d.r.Header.Get("If-Match"); im != "" && !wire.ETagMatches(im, wire.ETag(store.Dataverse, target.row.Version)) {
			return wire.NewError(http.StatusPreconditionFailed, wire.CodeVersionMismatch, "The version of the existing record doesn't match the RowVersion property provided.")
		}
		if _, err := d.dv.store.Delete(ctx, d.t, target.id); err != nil {
			return wire.StoreError(err)
		}
		return d.dv.syncWrite(ctx, d.t, target.row.Data, nil)
	})
	if aerr != nil {
		d.fail(aerr)
		return
	}
	d.w.WriteHeader(http.StatusNoContent)
}

// answerWrite answers a create or upsert: 204 with OData-EntityId, or with return=representation
// 201 (created) / 200 (updated) with the row and its ETag [D].
func (d *dvRequest) answerWrite(row store.Row, entityID string, created bool) {
	h := d.w.Header()
	h.Set("OData-EntityId", entityID)
	if created {
		h.Set("Location", entityID)
	}
	if wire.Preferences(d.r.Header.Values("Prefer"))["return"] != "representation" {
		d.w.WriteHeader(http.StatusNoContent)
		return
	}
	q, _ := wire.ParseQuery(store.Dataverse, d.r)
	body := d.render(row, wire.Query{Select: q.Select})
	body["@odata.context"] = d.context(q.Select, true)
	h.Set("ETag", wire.ETag(store.Dataverse, row.Version))
	h.Set("Preference-Applied", "return=representation")
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	wire.WriteJSON(d.w, status, body)
}
