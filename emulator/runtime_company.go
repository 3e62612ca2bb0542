package emulator

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
func (e *Emulator) companyOwnerTeam(ctx context.Context, t *store.Table, row store.Row) *wire.Error {
	if t.Name != "cdm_company" {
		return nil
	}
	enabled, _ := row.Data["cdm_isenabledfordualwrite"].(bool)
	code := strings.TrimSpace(anyString(row.Data["cdm_companycode"]))
	if !enabled || code == "" || anyString(row.Data[store.LookupValueName("cdm_defaultowningteam")]) != "" {
		return nil
	}
	old, found, err := e.store.Get(ctx, store.Dataverse, t.Name, row.ID)
	if err != nil {
		return storeError(err)
	}
	if wasEnabled, _ := old.Data["cdm_isenabledfordualwrite"].(bool); found && wasEnabled {
		return nil // the plug-in acts on create and on enabling, not on every update
	}
	var parent any
	if _, ok, _ := e.store.Get(ctx, store.Dataverse, "businessunit", e.id.BusinessUnitID); ok {
		parent = e.id.BusinessUnitID
	}
	bu, aerr := e.namedRow(ctx, "businessunit", code, map[string]any{"_parentbusinessunitid_value": parent})
	if aerr != nil || bu == "" {
		return aerr
	}
	team, aerr := e.namedRow(ctx, "team", code+" DW", map[string]any{"_businessunitid_value": bu, "teamtype": 0.0, "isdefault": false})
	if aerr != nil {
		return aerr
	}
	row.Data[store.LookupValueName("cdm_defaultowningteam")] = team
	return nil
}

// namedRow returns the id of the row of a table whose name is name, creating it with fields when
// there is none ("" when the table is not modelled).
func (e *Emulator) namedRow(ctx context.Context, table, name string, fields map[string]any) (string, *wire.Error) {
	t, ok := e.store.Table(store.Dataverse, table)
	if !ok {
		return "", nil
	}
	var id string
	err := e.store.Scan(ctx, store.Dataverse, t.Name, "", func(r store.Row) (bool, error) {
		if strings.EqualFold(anyString(r.Data["name"]), name) {
			id = r.ID
			return false, nil
		}
		return true, nil
	})
	if err != nil || id != "" {
		return id, storeErrorOrNil(err)
	}
	fields["name"] = name
	r, aerr := e.dvInsert(ctx, t, fields)
	return r.ID, aerr
}

func storeErrorOrNil(err error) *wire.Error {
	if err == nil {
		return nil
	}
	return storeError(err)
}
