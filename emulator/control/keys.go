package control

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
)

// keyFields renders an alternate key as integration-key fields: a lookup column becomes the path to
// its target's key column (msdyn_company → msdyn_company.cdm_companycode) [D].
func (ct *catalog) keyFields(t *store.Table, k *store.Key) []string {
	out := make([]string, 0, len(k.Columns))
	for _, col := range k.Columns {
		cc, ok := t.Column(col)
		if ok && store.IsLookup(cc.Type) && len(cc.Targets) > 0 {
			if target, ok := ct.store.Table(store.Dataverse, cc.Targets[0]); ok && len(target.Keys) > 0 {
				out = append(out, col+"."+target.Keys[0].Columns[0])
				continue
			}
		}
		out = append(out, col)
	}
	return out
}

// defaultKeys generates the integration keys of the maps' tables from their alternate keys [D].
func (ct *catalog) defaultKeys(st *pairstate.State) {
	for _, m := range st.Maps {
		t, ok := ct.store.TableBySet(store.Dataverse, m.ActiveTemplate().Def.Dataverse)
		if !ok {
			continue
		}
		for i := range t.Keys {
			if t.Keys[i].Status == store.KeyActive {
				st.Link.Keys[t.Name] = ct.keyFields(t, &t.Keys[i])
				break
			}
		}
	}
}

// setKeys sets integration keys [O]; each must be an active alternate key of its table (health
// check 5100 [D]). An empty list deletes a table's key.
func (c *Plane) setKeys(_ context.Context, r *http.Request, st *pairstate.State) (any, error) {
	l, err := needLink(st)
	if err != nil {
		return nil, err
	}
	// The dataset is the Dataverse environment's name in the connection set [O: DWMapEngine.cs:1499-1516].
	if !equalFoldTrim(l.Dataset, r.PathValue("name")) {
		return nil, gwErr(http.StatusNotFound, "DatasetNotFound", "Dataset %s was not found.", r.PathValue("name"))
	}
	var body struct {
		DatasetName     string              `json:"datasetName"`
		IntegrationKeys map[string][]string `json:"integrationKeys"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	if !equalFoldTrim(body.DatasetName, l.Dataset) {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "datasetName %q is not the dataset %s of the path.", body.DatasetName, l.Dataset)
	}
	if len(body.IntegrationKeys) != 1 {
		return nil, gwErr(http.StatusBadRequest, "BadRequest", "Send the integration key of one table a request; this one has %d.", len(body.IntegrationKeys))
	}
	for table, fields := range body.IntegrationKeys {
		if len(fields) == 0 {
			continue // an empty list deletes the key [I]
		}
		if err := c.cat.checkKey(table, fields); err != nil {
			return nil, err
		}
	}
	for table, fields := range body.IntegrationKeys {
		name := strings.ToLower(table)
		if t, ok := c.store.Table(store.Dataverse, table); ok {
			name = t.Name
		}
		if len(fields) == 0 {
			delete(l.Keys, name)
			continue
		}
		l.Keys[name] = append([]string(nil), fields...)
	}
	return nil, nil
}

func (ct *catalog) checkKey(table string, fields []string) error {
	t, ok := ct.store.Table(store.Dataverse, table)
	if !ok {
		return gwErr(http.StatusBadRequest, "TableNotFound", "Table %s does not exist in the Dataverse environment.", table)
	}
	if len(fields) > 16 {
		return gwErr(http.StatusBadRequest, "InvalidIntegrationKey", "The integration key of table %s has %d fields; at most 16 are allowed.", table, len(fields))
	}
	cols, err := store.KeyColumns(t, fields)
	if err != nil {
		return gwErr(http.StatusBadRequest, "InvalidIntegrationKey", "Integration key of table %s: %v.", table, err)
	}
	if _, ok := t.KeyFor(cols); ok {
		return nil
	}
	var keys []string
	for _, k := range t.Keys {
		keys = append(keys, fmt.Sprintf("%s (%s, %s)", k.SchemaName, strings.Join(k.Columns, ", "), k.Status))
	}
	return gwErr(http.StatusBadRequest, "InvalidIntegrationKey",
		"The integration key (%s) of table %s is not one of its active alternate keys [5100]. Alternate keys: %s.",
		strings.Join(fields, ", "), table, strings.Join(keys, "; "))
}
