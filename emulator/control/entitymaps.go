package control

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/mapversion"
)

// entityMapTable holds one row per saved map version in Dataverse ("Dual Write entity map",
// solution component type 500) [O]. Rows are solution components: a reset keeps them.
const entityMapTable = "msdyn_dualwriteentitymap"

// writeEntityMaps writes the msdyn_dualwriteentitymap rows of a map's versions that have none.
func (ar *artefacts) writeEntityMaps(ctx context.Context, m *pairstate.Map) error {
	t, ok := ar.store.Table(store.Dataverse, entityMapTable)
	if !ok {
		return nil
	}
	for _, v := range m.Templates {
		id := strings.ToLower(v.ID) // a version is its entity map row [I]
		if _, found, err := ar.store.Get(ctx, store.Dataverse, t.Name, id); err != nil || found {
			if err != nil {
				return err
			}
			continue
		}
		doc, err := json.Marshal(ar.cat.mappingTask(m, v))
		if err != nil {
			return err
		}
		label := ar.cat.displayName(m)
		if fo, ok := ar.store.TableBySet(store.FinOps, v.Def.FinOps); ok {
			label = fo.Label
		}
		fields := map[string]any{t.PrimaryID: id, "msdyn_name": publisherPrefix(v.Author) + "_[" + v.Def.Dataverse + " - " + label + "]",
			"msdyn_displayname": ar.cat.displayName(m), "msdyn_mapping": string(doc), "msdyn_version": mapversion.String(v.Version),
			"solutionid": wire.StableGUID("solution:" + strings.ToLower(v.Author))}
		if _, aerr := ar.dataverse.Insert(ctx, t, fields); aerr != nil {
			return aerrToErr(aerr)
		}
	}
	return nil
}

// publisherPrefix is the customisation prefix of a publisher: msdyn for Microsoft [O], else the
// publisher's name in lower case without spaces [I].
func publisherPrefix(author string) string {
	if strings.EqualFold(author, "Microsoft") {
		return "msdyn"
	}
	return strings.ToLower(strings.ReplaceAll(author, " ", ""))
}

// mappingTask is a map version as one entity mapping task, the shape of msdyn_mapping and of a
// project's entityMappingTasks[0] [O: DWFieldMapping.cs:146-158; CKP]: one leg from F&O to
// Dataverse whose fields carry their direction (1 to Dataverse, 2 to F&O, 3 both) and whose
// reversedSourceFilter is the Dataverse filter.
func (ct *catalog) mappingTask(m *pairstate.Map, v *pairstate.Template) map[string]any {
	d := v.Def
	fields := make([]any, 0, len(d.Fields))
	for _, f := range d.Fields {
		fields = append(fields, fieldJSON(f))
	}
	leg := map[string]any{"id": wire.StableGUID("leg:ax" + v.ID), "sourceEnvironmentType": "AX", "sourceSchema": d.FinOps,
		"destinationEnvironmentType": "CRM", "destinationSchema": d.Dataverse, "sourceFilter": d.FinOpsFilter,
		"reversedSourceFilter": d.DataverseFilter, "isSourceFilterEditable": true, "fieldMappings": fields,
		"deleteNonMatchingData": false}
	return map[string]any{"name": ct.displayName(m), "order": 0, "leftEnvironmentType": "AX", "rightEnvironmentType": "CRM",
		"legs": []any{leg}}
}
