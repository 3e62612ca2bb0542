package finops

import (
	"net/http"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/filter"
)

func (fo *Service) foServiceDocument(w http.ResponseWriter) {
	var sets []map[string]string
	for _, t := range fo.store.Tables(store.FinOps) {
		sets = append(sets, map[string]string{"name": t.EntitySet, "kind": "EntitySet", "url": t.EntitySet})
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"@odata.context": fo.base + "/data/$metadata", "value": sets})
}

// foEDMX serves /data/$metadata: namespace Microsoft.Dynamics.DataEntities, container Resources, enum
// types, keys and the Microsoft.Dynamics.OData.Core.V1 annotations AllowEdit/IsRequired [O].
func (fo *Service) foEDMX(w http.ResponseWriter) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="Microsoft.Dynamics.DataEntities" xmlns="http://docs.oasis-open.org/odata/ns/edm">`)
	tables := fo.store.Tables(store.FinOps)
	for _, en := range finOpsEnums(tables) {
		b.WriteString(`<EnumType Name="` + wire.XMLEscape(en.name) + `">`)
		for _, o := range en.members {
			b.WriteString(`<Member Name="` + wire.XMLEscape(o.Label) + `" Value="` + wire.Sprintf("%d", o.Value) + `"/>`)
		}
		b.WriteString(`</EnumType>`)
	}
	for _, t := range tables {
		b.WriteString(`<EntityType Name="` + wire.XMLEscape(t.Name) + `"><Key>`)
		for _, k := range t.Keys[0].Columns {
			b.WriteString(`<PropertyRef Name="` + wire.XMLEscape(k) + `"/>`)
		}
		b.WriteString(`</Key>`)
		for _, c := range t.Columns {
			b.WriteString(`<Property Name="` + wire.XMLEscape(c.Name) + `" Type="` + wire.EDMType(c) + `"`)
			if c.Required {
				b.WriteString(` Nullable="false"`)
			}
			b.WriteString(`><Annotation Term="Microsoft.Dynamics.OData.Core.V1.AllowEdit" Bool="` + boolText(!c.ReadOnly) + `"/>`)
			b.WriteString(`<Annotation Term="Microsoft.Dynamics.OData.Core.V1.IsRequired" Bool="` + boolText(c.Required) + `"/></Property>`)
		}
		b.WriteString(`</EntityType>`)
	}
	b.WriteString(`<EntityContainer Name="Resources">`)
	for _, t := range tables {
		b.WriteString(`<EntitySet Name="` + wire.XMLEscape(t.EntitySet) + `" EntityType="Microsoft.Dynamics.DataEntities.` + wire.XMLEscape(t.Name) + `"/>`)
	}
	b.WriteString(`</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

type finOpsEnum struct {
	name    string
	members []store.Option
}

func finOpsEnums(tables []*store.Table) []finOpsEnum {
	seen := map[string][]store.Option{}
	for _, t := range tables {
		for _, c := range t.Columns {
			if c.Type == store.TypeEnum {
				seen[c.EnumType] = c.Options
			}
		}
	}
	var out []finOpsEnum
	for n, m := range seen {
		out = append(out, finOpsEnum{name: n, members: m})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// serveFinOpsMetadata serves the JSON metadata service: DataEntities, PublicEntities (with Properties)
// and PublicEnumerations [D]/[O].
func (fo *Service) serveFinOpsMetadata(w http.ResponseWriter, r *http.Request, rest string) {
	name, pred, hasKey, err := wire.SplitSegment(rest)
	if err != nil || r.Method != http.MethodGet {
		wire.WriteError(w, store.FinOps, wire.NewError(http.StatusBadRequest, "", "Unsupported metadata request."))
		return
	}
	var items []map[string]any
	switch name {
	case "DataEntities":
		for _, t := range fo.store.Tables(store.FinOps) {
			items = append(items, map[string]any{"Name": t.Name + "Entity", "PublicEntityName": t.Name, "PublicCollectionName": t.EntitySet,
				"LabelId": t.Label, "DataServiceEnabled": true, "DataManagementEnabled": true, "EntityCategory": "Master", "IsReadOnly": false})
		}
	case "PublicEntities":
		for _, t := range fo.store.Tables(store.FinOps) {
			items = append(items, publicEntity(t))
		}
	case "PublicEnumerations":
		for _, en := range finOpsEnums(fo.store.Tables(store.FinOps)) {
			var members []map[string]any
			for _, o := range en.members {
				members = append(members, map[string]any{"Name": o.Label, "Value": o.Value, "LabelId": o.Label})
			}
			items = append(items, map[string]any{"Name": en.name, "LabelId": en.name, "Members": members})
		}
	default:
		wire.WriteError(w, store.FinOps, wire.NewError(http.StatusNotFound, "", "Resource not found for the segment '%s'.", name))
		return
	}
	if !hasKey {
		var aerr *wire.Error
		if items, aerr = filterFinOpsMeta(r, items); aerr != nil {
			wire.WriteError(w, store.FinOps, aerr)
			return
		}
	}
	fo.writeFinOpsMeta(w, name, pred, hasKey, items)
}

// filterFinOpsMeta applies $filter and $select to a metadata collection.
func filterFinOpsMeta(r *http.Request, items []map[string]any) ([]map[string]any, *wire.Error) {
	q, aerr := wire.ParseQuery(store.FinOps, r)
	if aerr != nil {
		return nil, aerr
	}
	var expr filter.Expr
	if q.Filter != "" {
		var diags []filter.Diagnostic
		if expr, diags = filter.ParseFinOpsOData(q.Filter); filter.HasErrors(diags) || expr == nil {
			return nil, wire.NewError(http.StatusBadRequest, "", "Invalid $filter on metadata.")
		}
	}
	out := []map[string]any{}
	for _, it := range items {
		if expr != nil {
			if ok, err := expr.Eval(wire.MetaRow(it)); err != nil || !ok {
				continue
			}
		}
		if len(q.Select) > 0 {
			sel := map[string]any{}
			for _, s := range q.Select {
				sel[s] = it[s]
			}
			it = sel
		}
		out = append(out, it)
	}
	return out, nil
}

func (fo *Service) writeFinOpsMeta(w http.ResponseWriter, set, pred string, hasKey bool, items []map[string]any) {
	if !hasKey {
		wire.WriteJSON(w, http.StatusOK, map[string]any{"@odata.context": fo.base + "/Metadata/$metadata#" + set, "value": items})
		return
	}
	parts, err := wire.ParseKeyPredicate(pred)
	if err == nil && len(parts) == 1 {
		want, _ := parts[0].Value.(string)
		for _, it := range items {
			if strings.EqualFold(wire.AnyString(it["Name"]), want) || strings.EqualFold(wire.AnyString(it["EntitySetName"]), want) {
				it["@odata.context"] = fo.base + "/Metadata/$metadata#" + set + "/$entity"
				wire.WriteJSON(w, http.StatusOK, it)
				return
			}
		}
	}
	wire.WriteError(w, store.FinOps, wire.NewError(http.StatusNotFound, "", "No %s named %s.", set, pred))
}

func publicEntity(t *store.Table) map[string]any {
	var props []map[string]any
	for _, c := range t.Columns {
		typeName := wire.EDMType(c)
		dataType := c.Type
		if c.Type == store.TypeEnum {
			dataType = "Enum"
		}
		props = append(props, map[string]any{"Name": c.Name, "TypeName": typeName, "DataType": dataType,
			"IsKey": wire.ContainsFold(t.Keys[0].Columns, c.Name), "IsMandatory": c.Required, "AllowEdit": !c.ReadOnly,
			"AllowEditOnCreate": !c.ReadOnly, "IsDimension": false, "ConfigurationEnabled": true, "LabelId": c.Name})
	}
	return map[string]any{"Name": t.Name, "EntitySetName": t.EntitySet, "LabelId": t.Label, "IsReadOnly": false,
		"ConfigurationEnabled": true, "Properties": props}
}
