package control

import (
	"context"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// companyNames returns the cdm_company name and id of a company code ("" when it has no row).
func (ct *catalog) companyNames(ctx context.Context, code string) (string, string, error) {
	id, row, err := ct.companyRow(ctx, code)
	if err != nil || id == "" {
		return "", "", err
	}
	name, _ := row.Data["cdm_name"].(string)
	return name, id, nil
}

// companyRow finds the cdm_company row of a code by its alternate key.
func (ct *catalog) companyRow(ctx context.Context, code string) (string, store.Row, error) {
	t, ok := ct.store.Table(store.Dataverse, "cdm_company")
	if !ok {
		return "", store.Row{}, nil
	}
	k, ok := t.KeyFor([]string{"cdm_companycode"})
	if !ok {
		return "", store.Row{}, nil
	}
	id, found, err := ct.store.LookupKey(ctx, t, k, map[string]any{"cdm_companycode": code})
	if err != nil || !found {
		return "", store.Row{}, err
	}
	row, _, err := ct.store.Get(ctx, store.Dataverse, t.Name, id)
	return id, row, err
}

// addCompanies adds legal entities to the link: each must exist in F&O, at most 40 in all [D], and
// each gets its cdm_company row in Dataverse when it has none [I].
func (ar *artefacts) addCompanies(ctx context.Context, st *pairstate.State, codes []string) error {
	l := st.Link
	le, ok := ar.store.Table(store.FinOps, "LegalEntity")
	if !ok {
		return gwErr(http.StatusInternalServerError, "Metadata", "the F&O LegalEntities entity is missing")
	}
	for _, code := range codes {
		code = strings.ToUpper(strings.TrimSpace(code))
		if wire.ContainsFold(l.LegalEntities, code) {
			continue
		}
		id, err := store.FinOpsID(le, map[string]any{"LegalEntityId": code})
		if err != nil {
			return gwErr(http.StatusBadRequest, "BadRequest", "Invalid legal entity %q.", code)
		}
		row, found, err := ar.store.Get(ctx, store.FinOps, le.Name, id)
		if err != nil {
			return err
		}
		if !found {
			return gwErr(http.StatusBadRequest, "LegalEntityNotFound", "Legal entity %s does not exist in the finance and operations environment.", code)
		}
		if len(l.LegalEntities) >= maxLegalEntities {
			dwm := "DWM-" + strings.ToUpper(strings.ReplaceAll(l.CID, "-", ""))
			return gwErr(http.StatusBadRequest, "PluginRegistrationFailed",
				"Dual-write failure - Plugin registration failed: [(Unable to get partition map for project %s Error Exceeds the maximum partitions allowed for mapping %s)]", dwm, dwm)
		}
		if err := ar.ensureCompany(ctx, code, wire.AnyString(row.Data["Name"])); err != nil {
			return err
		}
		l.LegalEntities = append(l.LegalEntities, code)
	}
	return nil
}

// ensureCompany creates the cdm_company row of a code when there is none.
func (ar *artefacts) ensureCompany(ctx context.Context, code, name string) error {
	id, _, err := ar.cat.companyRow(ctx, code)
	if err != nil || id != "" {
		return err
	}
	t, _ := ar.store.Table(store.Dataverse, "cdm_company")
	if name == "" {
		name = code
	}
	_, aerr := ar.dataverse.Insert(ctx, t, map[string]any{"cdm_companycode": code, "cdm_name": name, "cdm_isenabledfordualwrite": true})
	if aerr != nil {
		return gwErr(http.StatusBadRequest, "CompanyCreationFailed", "Saving connection set failed! %s", aerr.Message)
	}
	return nil
}

func (c *Plane) addLegalEntities(ctx context.Context, r *http.Request, st *pairstate.State) (any, error) {
	if _, err := needCID(st, r.PathValue("cid")); err != nil {
		return nil, err
	}
	var body struct {
		LegalEntities     []string `json:"legalEntities"`
		SkipInitialWrites bool     `json:"skipInitialWrites"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	before := len(st.Link.LegalEntities)
	if err := c.art.addCompanies(ctx, st, body.LegalEntities); err != nil {
		return nil, err
	}
	added := st.Link.LegalEntities[before:]
	if body.SkipInitialWrites || len(added) == 0 {
		return nil, nil
	}
	// Initial writes: running maps copy the new companies' rows [D].
	for _, m := range st.Maps {
		if m.State == pairstate.MapRunning {
			if err := c.initialSync(ctx, st, m, added, "CRM", wire.NewGUID()); err != nil {
				return nil, err
			}
		}
	}
	return nil, nil
}

func (c *Plane) removeLegalEntities(_ context.Context, r *http.Request, st *pairstate.State) (any, error) {
	l, err := needCID(st, r.PathValue("cid"))
	if err != nil {
		return nil, err
	}
	var body struct {
		LegalEntities []string `json:"legalEntities"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	for _, m := range st.Maps {
		if m.State == pairstate.MapPaused {
			return nil, gwErr(http.StatusBadRequest, "MapsPaused", "Legal entities cannot be removed while table map %s is paused.", c.cat.displayName(m))
		}
	}
	var keep []string
	for _, code := range l.LegalEntities {
		if !wire.ContainsFold(body.LegalEntities, code) {
			keep = append(keep, code)
		}
	}
	l.LegalEntities = keep
	return nil, nil
}
