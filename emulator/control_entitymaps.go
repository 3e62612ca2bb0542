package emulator

import (
	"context"
	"encoding/json"
	"strings"
)

// entityMapTable holds one row per saved map version in Dataverse ("Dual Write entity map",
// solution component type 500) [O]. Rows are solution components: a reset keeps them.
const entityMapTable = "msdyn_dualwriteentitymap"

// writeEntityMaps writes the msdyn_dualwriteentitymap rows of a map's versions that have none.
func (c *controlPlane) writeEntityMaps(ctx context.Context, m *ctlMap) error {
	t, ok := c.e.store.Table(Dataverse, entityMapTable)
	if !ok {
		return nil
	}
	for _, v := range m.Templates {
		id := strings.ToLower(v.ID) // a version is its entity map row [I]
		if _, found, err := c.e.store.Get(ctx, Dataverse, t.Name, id); err != nil || found {
			if err != nil {
				return err
			}
			continue
		}
		doc, err := json.Marshal(c.mappingDocument(m, v))
		if err != nil {
			return err
		}
		label := c.displayName(m)
		if fo, ok := c.e.store.TableBySet(FinOps, v.Def.FinOps); ok {
			label = fo.Label
		}
		fields := map[string]any{t.PrimaryID: id, "msdyn_name": publisherPrefix(v.Author) + "_[" + v.Def.Dataverse + " - " + label + "]",
			"msdyn_displayname": c.displayName(m), "msdyn_mapping": string(doc), "msdyn_version": versionString(v.Version),
			"solutionid": stableGUID("solution:" + strings.ToLower(v.Author))}
		if _, aerr := c.e.dvInsert(ctx, t, fields); aerr != nil {
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

// mappingDocument is msdyn_mapping: the map's legs in the gateway's project shape, one per
// direction [O].
func (c *controlPlane) mappingDocument(m *ctlMap, v *ctlTemplate) map[string]any {
	d := v.Def
	var fo, dv []any
	for _, f := range d.Fields {
		fo = append(fo, fieldJSON(f, f.FinOps, f.Dataverse))
		dv = append(dv, fieldJSON(f, f.Dataverse, f.FinOps))
	}
	leg := func(id, src, srcSchema, dst, dstSchema, filter, reversed string, fields []any) map[string]any {
		return map[string]any{"id": stableGUID("leg:" + id + v.ID), "sourceSchema": srcSchema, "sourceEnvironmentType": src,
			"destinationSchema": dstSchema, "destinationEnvironmentType": dst, "sourceFilter": filter,
			"reversedSourceFilter": reversed, "fieldMappings": nonNilSlice(fields)}
	}
	return map[string]any{"name": c.displayName(m), "leftEnvironmentType": "AX", "rightEnvironmentType": "CRM",
		"legs": []any{leg("ax", "AX", d.FinOps, "CRM", d.Dataverse, d.FinOpsFilter, d.DataverseFilter, fo),
			leg("crm", "CRM", d.Dataverse, "AX", d.FinOps, d.DataverseFilter, d.FinOpsFilter, dv)}}
}
