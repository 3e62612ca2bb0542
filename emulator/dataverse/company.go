package dataverse

import (
	"context"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// companyOwnerTeam is the dual-write plug-in on cdm_company (dual-write.md §2.3 [D]): when a
// company row is created enabled for dual-write, or becomes enabled, without a default owning team,
// it gets a business unit named after the company code [I: the notes say "the same name"] under
// the root business unit, an owner team "CODE DW" in that business unit, and that team as its
// default owning team. Existing units and teams of those names are reused [I].
func (dv *Service) companyOwnerTeam(ctx context.Context, t *store.Table, row store.Row) *wire.Error {
	if t.Name != "cdm_company" {
		return nil
	}
	enabled, _ := row.Data["cdm_isenabledfordualwrite"].(bool)
	code := strings.TrimSpace(wire.AnyString(row.Data["cdm_companycode"]))
	if !enabled || code == "" || wire.AnyString(row.Data[store.LookupValueName("cdm_defaultowningteam")]) != "" {
		return nil
	}
	old, found, err := dv.store.Get(ctx, store.Dataverse, t.Name, row.ID)
	if err != nil {
		return wire.StoreError(err)
	}
	if wasEnabled, _ := old.Data["cdm_isenabledfordualwrite"].(bool); found && wasEnabled {
		return nil // the plug-in acts on create and on enabling, not on every update
	}
	var parent any
	if _, ok, _ := dv.store.Get(ctx, store.Dataverse, "businessunit", dv.id.BusinessUnitID); ok {
		parent = dv.id.BusinessUnitID
	}
	bu, aerr := dv.namedRow(ctx, "businessunit", code, map[string]any{"_parentbusinessunitid_value": parent})
	if aerr != nil || bu == "" {
		return aerr
	}
	team, aerr := dv.namedRow(ctx, "team", code+" DW", map[string]any{"_businessunitid_value": bu, "teamtype": 0.0, "isdefault": false})
	if aerr != nil {
		return aerr
	}
	row.Data[store.LookupValueName("cdm_defaultowningteam")] = team
	return nil
}

// namedRow returns the id of the row of a table whose name is name, creating it with fields when
// there is none ("" when the table is not modelled).
func (dv *Service) namedRow(ctx context.Context, table, name string, fields map[string]any) (string, *wire.Error) {
	t, ok := dv.store.Table(store.Dataverse, table)
	if !ok {
		return "", nil
	}
	var id string
	err := dv.store.Scan(ctx, store.Dataverse, t.Name, "", func(r store.Row) (bool, error) {
		if strings.EqualFold(wire.AnyString(r.Data["name"]), name) {
			id = r.ID
			return false, nil
		}
		return true, nil
	})
	if err != nil || id != "" {
		return id, wire.StoreErrorOrNil(err)
	}
	fields["name"] = name
	r, aerr := dv.Insert(ctx, t, fields)
	return r.ID, aerr
}
