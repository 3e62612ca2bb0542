package emulator

import (
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
	target, aerr := d.e.resolveKey(d.r.Context(), d.t, d.pred)
	if aerr != nil {
		d.fail(aerr)
		return
	}
	if !target.exists {
		d.fail(notExist(d.t, firstNonEmpty(target.id, d.pred)))
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
	aerr = d.e.updateStore(ctx, func(ctx context.Context) *wire.Error {
		fields, aerr := d.e.decodeDataverseBody(ctx, d.t, raw)
		if aerr != nil {
			return aerr
		}
		row, aerr = d.e.dvInsert(ctx, d.t, fields)
		if aerr != nil {
			return aerr
		}
		return d.e.addToSolution(ctx, d.t, &row, d.r.Header.Get("MSCRM.SolutionUniqueName"))
	})
	if aerr != nil {
		d.fail(aerr)
		return
	}
	d.answerWrite(row, d.base()+d.t.EntitySet+"("+row.ID+")", true)
}

// dvInsert creates a row of t: id, system columns, autonumbers, computed columns, key checks.
func (e *Emulator) dvInsert(ctx context.Context, t *store.Table, fields map[string]any) (store.Row, *wire.Error) {
	id, _ := fields[t.PrimaryID].(string)
	if id == "" {
		id = wire.NewGUID()
	}
	if _, found, err := e.store.Get(ctx, store.Dataverse, t.Name, id); err != nil {
		return store.Row{}, storeError(err)
	} else if found {
		return store.Row{}, wire.NewError(http.StatusPreconditionFailed, "0x80040237", "Cannot insert duplicate key. A record with id %s already exists in %s.", id, t.Name)
	}
	now := e.clock().UTC().Format(time.RFC3339)
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
	if aerr := e.fillAutoNumbers(ctx, t, data, fields); aerr != nil {
		return store.Row{}, aerr
	}
	return e.dvPut(ctx, t, store.Row{ID: id, Data: data})
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

// dvPut computes derived columns and stores the row, mapping key conflicts to the service's 412.
func (e *Emulator) dvPut(ctx context.Context, t *store.Table, row store.Row) (store.Row, *wire.Error) {
	if aerr := e.checkRuntime(ctx, t); aerr != nil {
		return store.Row{}, aerr
	}
	if aerr := e.companyOwnerTeam(ctx, t, row); aerr != nil {
		return store.Row{}, aerr
	}
	if t.Name == "contact" {
		first, _ := row.Data["firstname"].(string)
		last, _ := row.Data["lastname"].(string)
		row.Data["fullname"] = strings.TrimSpace(first + " " + last)
	}
	before := e.runtimeOld(ctx, t, row.ID)
	var conflict *store.KeyConflictError
	version, err := e.store.Put(ctx, t, row)
	if errors.As(err, &conflict) {
		return store.Row{}, wire.NewError(http.StatusPreconditionFailed, wire.CodeDuplicateKey, "A record that has the attribute values %s already exists. The entity key %s requires that this set of attributes contains unique values. Select unique values and try again.",
			strings.Join(conflict.Columns, ", "), conflict.Key)
	}
	if err != nil {
		return store.Row{}, storeError(err)
	}
	row.Version = version
	if _, has := row.Data["versionnumber"]; has || t.Service == store.Dataverse {
		row.Data["versionnumber"] = float64(version)
	}
	if aerr := e.syncWrite(ctx, t, before, row.Data); aerr != nil {
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
	aerr = d.e.updateStore(d.r.Context(), func(ctx context.Context) *wire.Error {
		target, aerr := d.e.resolveKey(ctx, d.t, d.pred)
		if aerr != nil {
			return aerr
		}
		if aerr := d.conditions(target); aerr != nil {
			return aerr
		}
		fields, aerr := d.e.decodeDataverseBody(ctx, d.t, raw)
		if aerr != nil {
			return aerr
		}
		created = !target.exists
		row, aerr = d.e.dvUpsertRow(ctx, d.t, target, fields)
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
		return notExist(d.t, firstNonEmpty(target.id, d.pred))
	case ifMatch != "" && !wire.ETagMatches(ifMatch, wire.ETag(store.Dataverse, target.row.Version)):
		return wire.NewError(http.StatusPreconditionFailed, wire.CodeVersionMismatch, "The version of the existing record doesn't match the RowVersion property provided.")
	case ifNone == "*" && target.exists:
		return wire.NewError(http.StatusPreconditionFailed, wire.CodeDuplicateKey, "A record with matching key values already exists.")
	}
	return nil
}

// dvUpsertRow applies fields to the target: on update the addressed key columns are dropped; on
// create the URL key values fill the key columns the body lacks [D].
func (e *Emulator) dvUpsertRow(ctx context.Context, t *store.Table, target dvTarget, fields map[string]any) (store.Row, *wire.Error) {
	if !target.exists {
		for k, v := range target.keyVals {
			if _, has := fields[k]; has {
				continue
			}
			if aerr := e.checkLookupValue(ctx, t, k, v); aerr != nil {
				return store.Row{}, aerr
			}
			fields[k] = v
		}
		if target.id != "" {
			fields[t.PrimaryID] = target.id
		}
		return e.dvInsert(ctx, t, fields)
	}
	row := target.row
	for k, v := range fields {
		if _, isKey := target.keyVals[k]; isKey || k == t.PrimaryID {
			continue
		}
		row.Data[k] = v
	}
	row.Data["modifiedon"] = e.clock().UTC().Format(time.RFC3339)
	return e.dvPut(ctx, t, row)
}

func (d *dvRequest) delete() {
	aerr := d.e.updateStore(d.r.Context(), func(ctx context.Context) *wire.Error {
		target, aerr := d.e.resolveKey(ctx, d.t, d.pred)
		if aerr != nil {
			return aerr
		}
		if !target.exists {
			return notExist(d.t, firstNonEmpty(target.id, d.pred))
		}
		if im := d.r.Header.Get("If-Match"); im != "" && !wire.ETagMatches(im, wire.ETag(store.Dataverse, target.row.Version)) {
			return wire.NewError(http.StatusPreconditionFailed, wire.CodeVersionMismatch, "The version of the existing record doesn't match the RowVersion property provided.")
		}
		if _, err := d.e.store.Delete(ctx, d.t, target.id); err != nil {
			return storeError(err)
		}
		return d.e.syncWrite(ctx, d.t, target.row.Data, nil)
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

// updateStore runs fn in a store transaction (joining a change set's transaction when there is one).
func (e *Emulator) updateStore(ctx context.Context, fn func(ctx context.Context) *wire.Error) *wire.Error {
	var aerr *wire.Error
	err := e.store.Update(ctx, func(ctx context.Context) error {
		if aerr = fn(ctx); aerr != nil {
			return aerr
		}
		return nil
	})
	if aerr != nil {
		return aerr
	}
	if err != nil {
		return storeError(err)
	}
	return nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
