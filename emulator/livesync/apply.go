package livesync

import (
	"context"
	"maps"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/emulator/copier"
	"github.com/dwctl/dwctl/emulator/finops"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/filter"
	"github.com/dwctl/dwctl/mapping"
)

// syncFailure is why the other side refused a change: its message, and the HTTP status and code
// of the refusal when a write of that side failed.
type syncFailure struct {
	status  int
	code    string
	message string
}

func failWith(aerr *wire.Error) *syncFailure {
	return &syncFailure{status: aerr.Status, code: aerr.Code, message: aerr.Message}
}

func failMsg(msg string) *syncFailure {
	return &syncFailure{status: http.StatusBadRequest, message: msg}
}

// Apply carries one change through a map to the other side (ctx must be marked
// store.AsDualWrite). The failure comes back in the error shape of the side the change was made on.
func (rt *Runtime) Apply(ctx context.Context, rm *Map, ch Change) *wire.Error {
	fo, ok1 := rt.sides.Store.TableBySet(store.FinOps, rm.FOSet)
	dv, ok2 := rt.sides.Store.TableBySet(store.Dataverse, rm.DVSet)
	if !ok1 || !ok2 {
		return nil
	}
	r := &copier.Run{Sides: rt.sides, FO: fo, DV: dv, Map: rm.Compiled, Key: rm.Key}
	if ch.Side == store.FinOps {
		if f := rt.liveToDataverse(ctx, rm, r, ch); f != nil {
			return dataverseRefusal(fo, dv, f)
		}
		return nil
	}
	if f := rt.liveToFinOps(ctx, rm, r, ch); f != nil {
		return finOpsRefusal(fo, dv, f)
	}
	return nil
}

// dataverseRefusal is the F&O answer to a write Dataverse refused: the entity's write fails with
// the dual-write message of the Dataverse error [O: "Unable to write data to entity ..."; the rest
// of the text is I].
func dataverseRefusal(fo, dv *store.Table, f *syncFailure) *wire.Error {
	code := f.code
	if code == "" {
		code = wire.CodeBadRequest
	}
	return wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Error: Unable to write data to entity %s. "+
		"Writes to %s failed with error message Request failed with status code %s and CDS error code : %s response message: %s",
		fo.Name, dv.EntitySet, dv.Name, strings.ReplaceAll(http.StatusText(f.status), " ", ""), code, f.message)
}

// finOpsRefusal is the Dataverse answer to a write F&O refused: the dual-write runtime plug-in
// fails the save (0x80040265, "ISV code aborted the operation") with the F&O message [O for the
// code and the "Unable to write data to entity" start; I for the rest].
func finOpsRefusal(fo, dv *store.Table, f *syncFailure) *wire.Error {
	return wire.NewError(http.StatusBadRequest, "0x80040265",
		"Unable to write data to entity %s. Writes to %s failed with error message Request failed with status code %s and response message: %s",
		strings.ToLower(fo.Name), fo.EntitySet, strings.ReplaceAll(http.StatusText(f.status), " ", ""), f.message)
}

// liveToDataverse carries an F&O change into Dataverse.
func (rt *Runtime) liveToDataverse(ctx context.Context, rm *Map, r *copier.Run, ch Change) *syncFailure {
	src := ch.sourceRow()
	if rm.Company {
		r.Company = strings.ToUpper(wire.AnyString(src[r.FO.CompanyColumn]))
		if !rm.linkedCompany(r.Company) {
			return nil
		}
		_, r.DVCompanyID, _ = rt.companyNames(ctx, r.Company)
	}
	if !rm.finOpsSelected(src) {
		return nil
	}
	out, err := rm.Compiled.ToDataverse(filter.MapRow(src))
	if err != nil {
		return failMsg(err.Error())
	}
	keyVal := mapping.KeyOf(rm.Key, filter.MapRow(out))
	if keyVal == "" {
		return failMsg("The integration key (" + strings.Join(rm.Key, ", ") + ") of table " + r.DV.Name + " has no value for this row.")
	}
	fields, _, msg := r.DataverseFields(ctx, out)
	if msg != "" && ch.New != nil {
		return failMsg(msg)
	}
	existing, found, err := rt.findDataverse(ctx, r, keyVal, fields)
	if err != nil {
		return failWith(wire.StoreError(err))
	}
	if ch.New == nil {
		if found {
			if _, err := rt.sides.Store.Delete(ctx, r.DV, existing.ID); err != nil {
				return failWith(wire.StoreError(err))
			}
		}
		return nil
	}
	return rt.writeDataverse(ctx, r, existing, found, fields)
}

// writeDataverse creates the Dataverse row, or updates the existing one with fields.
func (rt *Runtime) writeDataverse(ctx context.Context, r *copier.Run, existing store.Row, found bool, fields map[string]any) *syncFailure {
	if !found {
		if _, aerr := rt.sides.Dataverse.Insert(ctx, r.DV, fields); aerr != nil {
			return failWith(aerr)
		}
		return nil
	}
	data := maps.Clone(existing.Data)
	for k, v := range fields {
		data[k] = v
	}
	data["modifiedon"] = rt.sides.Clock().UTC().Format("2006-01-02T15:04:05Z")
	if _, aerr := rt.sides.Dataverse.Put(ctx, r.DV, store.Row{ID: existing.ID, Data: data}); aerr != nil {
		return failWith(aerr)
	}
	return nil
}

// findDataverse finds the Dataverse row whose integration-key value is keyVal: through the
// alternate key the integration key is (fields holds its values in stored form), else by scanning
// the rows of the run's company.
func (rt *Runtime) findDataverse(ctx context.Context, r *copier.Run, keyVal string, fields map[string]any) (store.Row, bool, error) {
	if cols, err := store.KeyColumns(r.DV, r.Key); err == nil && fields != nil {
		if k, ok := r.DV.KeyFor(cols); ok {
			if _, complete := store.KeyValue(r.DV, k, fields); complete {
				id, found, err := rt.sides.Store.LookupKey(ctx, r.DV, k, fields)
				if err != nil || !found {
					return store.Row{}, false, err
				}
				return rt.sides.Store.Get(ctx, store.Dataverse, r.DV.Name, id)
			}
		}
	}
	var hit store.Row
	found := false
	err := rt.sides.Store.Scan(ctx, store.Dataverse, r.DV.Name, "", func(row store.Row) (bool, error) {
		if r.DV.CompanyColumn != "" && r.DVCompanyID != "" && !strings.EqualFold(wire.AnyString(row.Data[store.LookupValueName(r.DV.CompanyColumn)]), r.DVCompanyID) {
			return true, nil
		}
		if mapping.KeyOf(r.Key, copier.DataverseRow(ctx, r.Store, r.DV, row.Data)) == keyVal {
			hit, found = row, true
			return false, nil
		}
		return true, nil
	})
	return hit, found, err
}

// liveToFinOps carries a Dataverse change into F&O.
func (rt *Runtime) liveToFinOps(ctx context.Context, rm *Map, r *copier.Run, ch Change) *syncFailure {
	src := copier.DataverseRow(ctx, rt.sides.Store, r.DV, ch.sourceRow())
	if rm.Company {
		code, _ := src.Value(r.DV.CompanyColumn + ".cdm_companycode")
		if !rm.linkedCompany(mapping.Text(code)) {
			return nil // company-less rows and rows of companies not linked stay in Dataverse
		}
	}
	if ok, err := rm.Compiled.DataverseSelected(src); err != nil || !ok {
		return nil
	}
	fields, f := rt.finOpsFieldsOf(rm, r, src)
	if f != nil {
		return f
	}
	id, err := store.FinOpsID(r.FO, fields)
	if err != nil {
		return &syncFailure{status: http.StatusInternalServerError, message: finOpsMissingKey(r.FO, fields)}
	}
	existing, found, err := rt.sides.Store.Get(ctx, store.FinOps, r.FO.Name, id)
	if err != nil {
		return failWith(wire.StoreError(err))
	}
	if ch.New == nil {
		if found {
			if _, err := rt.sides.Store.Delete(ctx, r.FO, id); err != nil {
				return failWith(wire.StoreError(err))
			}
		}
		return nil
	}
	if f := rt.keyChanged(ctx, rm, r, ch, id, fields); f != nil {
		return f
	}
	return rt.writeFinOps(ctx, r, existing, found, fields)
}

// writeFinOps creates the F&O row, or updates the existing one with fields after the entity's
// validations.
func (rt *Runtime) writeFinOps(ctx context.Context, r *copier.Run, existing store.Row, found bool, fields map[string]any) *syncFailure {
	if !found {
		if _, aerr := rt.sides.FinOps.Insert(ctx, r.FO, fields); aerr != nil {
			return failWith(aerr)
		}
		return nil
	}
	data := maps.Clone(existing.Data)
	for k, v := range fields {
		data[k] = v
	}
	if aerr := rt.sides.FinOps.CheckRow(ctx, r.FO, data); aerr != nil {
		return failWith(aerr)
	}
	if _, err := rt.sides.Store.Put(ctx, r.FO, store.Row{ID: existing.ID, Data: data}); err != nil {
		return failWith(wire.StoreError(err))
	}
	return nil
}

// finOpsFieldsOf transforms a Dataverse row into the F&O fields the map writes, in stored form.
func (rt *Runtime) finOpsFieldsOf(rm *Map, r *copier.Run, src filter.Row) (map[string]any, *syncFailure) {
	out, err := rm.Compiled.ToFinOps(src)
	if err != nil {
		return nil, failMsg(err.Error())
	}
	fields := map[string]any{}
	for name, v := range out {
		col, ok := r.FO.Column(name)
		if !ok {
			return nil, failMsg("Missing destination field " + name + " in the schema.")
		}
		val, aerr := finops.Value(r.FO, col, copier.FinOpsTyped(col, v))
		if aerr != nil {
			return nil, failWith(aerr)
		}
		fields[col.Name] = val
	}
	return fields, nil
}

// keyChanged refuses an update that would move the F&O row to another key: F&O keys cannot change [O].
func (rt *Runtime) keyChanged(ctx context.Context, rm *Map, r *copier.Run, ch Change, id string, fields map[string]any) *syncFailure {
	if ch.Old == nil {
		return nil
	}
	old, f := rt.finOpsFieldsOf(rm, r, copier.DataverseRow(ctx, rt.sides.Store, r.DV, ch.Old))
	if f != nil {
		return nil
	}
	oldID, err := store.FinOpsID(r.FO, old)
	if err != nil || oldID == id {
		return nil
	}
	if _, found, err := rt.sides.Store.Get(ctx, store.FinOps, r.FO.Name, oldID); err != nil || !found {
		return nil
	}
	for _, k := range r.FO.Keys[0].Columns {
		if store.CanonicalKeyPart(old[k]) != store.CanonicalKeyPart(fields[k]) {
			return failWith(wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Error: The key field '%s' cannot be changed.", r.FO.Name, k))
		}
	}
	return failWith(wire.FinOpsWriteError("Write failed for table row of type '%s'. Infolog: Error: The key of the record cannot be changed.", r.FO.Name))
}

// finOpsMissingKey is the entity's message for a row without a key field value [O].
func finOpsMissingKey(fo *store.Table, fields map[string]any) string {
	for _, k := range fo.Keys[0].Columns {
		if v, ok := fields[k]; !ok || mapping.Text(v) == "" {
			return "Write failed for table row of type '" + fo.Name + "'. Infolog: Warning: Field '" + k + "' must be filled in."
		}
	}
	return "Write failed for table row of type '" + fo.Name + "'. Infolog: Error: the key of the record is not valid."
}

func (rt *Runtime) companyNames(ctx context.Context, code string) (string, string, error) {
	if rt.CompanyNames == nil {
		return "", "", nil
	}
	return rt.CompanyNames(ctx, code)
}
