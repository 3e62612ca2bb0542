package control

import (
	"sort"
	"strings"

	"github.com/dwctl/dwctl/emulator/authority"
	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
)

// maxLegalEntities is the documented limit of companies of a link [D].
const maxLegalEntities = 40

// dataverseNames are the Power Platform environment id and the dataset name of the Dataverse
// environment of an organisation.
func (ct *catalog) dataverseNames(org string) (environment, dataset string) {
	short := strings.ToLower(strings.ReplaceAll(org, "-", ""))
	if len(short) > 12 {
		short = short[:12]
	}
	return authority.EnvironmentOf(org), "crm_" + short
}

// displayName is the map's name (tName), "<entity set> - <F&O entity label>" as in "uoms - Units"
// [O: DWH App.config:80-152].
func (ct *catalog) displayName(m *pairstate.Map) string {
	if m.Name != "" {
		return m.Name
	}
	def := m.ActiveTemplate().Def
	return def.Dataverse + " - " + ct.finOpsLabel(def.FinOps)
}

// finOpsLabel is the label of an F&O entity (its collection name when it has none).
func (ct *catalog) finOpsLabel(set string) string {
	if t, ok := ct.store.TableBySet(store.FinOps, set); ok && t.Label != "" {
		return t.Label
	}
	return set
}

// sortedMaps returns the maps ordered by display name, then template id.
func (ct *catalog) sortedMaps(st *pairstate.State) []*pairstate.Map {
	out := append([]*pairstate.Map(nil), st.Maps...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := ct.displayName(out[i]), ct.displayName(out[j])
		if a != b {
			return a < b
		}
		return out[i].Active < out[j].Active
	})
	return out
}
