package dataverse

import (
	"cmp"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// label renders the Label complex type [D].
func label(text string) map[string]any {
	ll := map[string]any{"Label": text, "LanguageCode": 1033, "IsManaged": true, "MetadataId": nil, "HasChanged": nil}
	return map[string]any{"LocalizedLabels": []any{ll}, "UserLocalizedLabel": ll}
}

func (dv *Service) renderEntity(t *store.Table, q wire.Query) map[string]any {
	schema := t.Name
	if strings.HasPrefix(schema, "msdyn_") || strings.HasPrefix(schema, "cdm_") {
		schema = schema[:strings.IndexByte(schema, '_')+1] + strings.ToUpper(schema[strings.IndexByte(schema, '_')+1:][:1]) + schema[strings.IndexByte(schema, '_')+2:]
	} else {
		schema = strings.ToUpper(schema[:1]) + schema[1:]
	}
	out := map[string]any{
		"MetadataId": t.MetadataID, "LogicalName": t.Name, "SchemaName": schema, "EntitySetName": t.EntitySet,
		"LogicalCollectionName": t.EntitySet, "PrimaryIdAttribute": t.PrimaryID, "PrimaryNameAttribute": t.PrimaryName,
		"OwnershipType": cmp.Or(t.OwnershipType, "UserOwned"), "ChangeTrackingEnabled": t.ChangeTracking,
		"IsCustomEntity": strings.Contains(t.Name, "_"), "DisplayName": label(t.Label), "IsActivity": false,
	}
	for _, x := range q.Expand {
		switch x.Nav {
		case "Attributes":
			out["Attributes"] = projectAll(dv.renderAttributes(t), x.Select)
		case "Keys":
			out["Keys"] = projectAll(renderKeys(t), x.Select)
		}
	}
	return out
}

func projectAll(items []map[string]any, sel []string) []map[string]any {
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = projectMeta(it, sel)
	}
	return out
}

var attributeTypeNames = map[string][2]string{store.TypeString: {"StringAttributeMetadata", "StringType"}, store.TypeMemo: {"MemoAttributeMetadata", "MemoType"}, store.TypeInteger: {"IntegerAttributeMetadata", "IntegerType"}, store.TypeBigInt: {"BigIntAttributeMetadata", "BigIntType"}, store.TypeDecimal: {"DecimalAttributeMetadata", "DecimalType"}, store.TypeMoney: {"MoneyAttributeMetadata", "MoneyType"}, store.TypeDouble: {"DoubleAttributeMetadata", "DoubleType"}, store.TypeBoolean: {"BooleanAttributeMetadata", "BooleanType"}, store.TypeDateTime: {"DateTimeAttributeMetadata", "DateTimeType"}, store.TypePicklist: {"PicklistAttributeMetadata", "PicklistType"}, store.TypeState: {"StateAttributeMetadata", "StateType"}, store.TypeStatus: {"StatusAttributeMetadata", "StatusType"}, store.TypeLookup: {"LookupAttributeMetadata", "LookupType"}, store.TypeCustomer: {"LookupAttributeMetadata", "CustomerType"}, store.TypeUniqueID: {"UniqueIdentifierAttributeMetadata", "UniqueidentifierType"}}

// renderAttributes lists the attributes of t, the primary key and versionnumber included.
func (dv *Service) renderAttributes(t *store.Table) []map[string]any {
	pk := store.Column{Name: t.PrimaryID, Type: store.TypeUniqueID, ReadOnly: true, MetadataID: t.MetadataID}
	out := []map[string]any{renderAttribute(t, pk)}
	for _, c := range t.Columns {
		out = append(out, renderAttribute(t, c))
	}
	return out
}

func renderAttribute(t *store.Table, c store.Column) map[string]any {
	names, ok := attributeTypeNames[c.Type]
	if !ok {
		names = attributeTypeNames[store.TypeString]
	}
	req := "None"
	if c.Required {
		req = "ApplicationRequired"
	}
	if c.Name == t.PrimaryID {
		req = "SystemRequired"
	}
	a := map[string]any{
		"@odata.type": "#Microsoft.Dynamics.CRM." + names[0], "MetadataId": c.MetadataID,
		"LogicalName": c.Name, "SchemaName": c.Name, "EntityLogicalName": t.Name,
		"AttributeType": c.Type, "AttributeTypeName": map[string]any{"Value": names[1]},
		"DisplayName":      label(cmp.Or(c.Label, c.Name)),
		"RequiredLevel":    map[string]any{"Value": req, "CanBeChanged": true, "ManagedPropertyLogicalName": "canmodifyrequirementlevelsettings"},
		"IsValidForCreate": !c.ReadOnly, "IsValidForUpdate": !c.ReadOnly, "IsValidForRead": true,
		"IsPrimaryId": c.Name == t.PrimaryID, "IsPrimaryName": c.Name == t.PrimaryName,
		"IsCustomAttribute": strings.Contains(c.Name, "_"),
	}
	switch c.Type {
	case store.TypeString, store.TypeMemo:
		a["MaxLength"] = c.MaxLength
		a["FormatName"] = map[string]any{"Value": "Text"}
		a["AutoNumberFormat"] = c.AutoNumberFormat
	case store.TypeLookup, store.TypeCustomer:
		a["Targets"] = c.Targets
	case store.TypePicklist, store.TypeState, store.TypeStatus:
		opts := make([]map[string]any, len(c.Options))
		for i, o := range c.Options {
			opts[i] = map[string]any{"Value": o.Value, "Label": label(o.Label)}
		}
		a["OptionSet"] = map[string]any{"Options": opts, "IsGlobal": false, "OptionSetType": c.Type}
	case store.TypeDecimal, store.TypeMoney, store.TypeDouble:
		a["Precision"] = c.Precision
	}
	return a
}

func renderKeys(t *store.Table) []map[string]any {
	out := make([]map[string]any, 0, len(t.Keys))
	for _, k := range t.Keys {
		out = append(out, map[string]any{
			"MetadataId": k.MetadataID, "LogicalName": k.LogicalName(), "SchemaName": k.SchemaName,
			"EntityLogicalName": t.Name, "KeyAttributes": k.Columns, "EntityKeyIndexStatus": k.Status,
			"DisplayName": label(k.SchemaName), "IsManaged": false, "IsCustomizable": map[string]any{"Value": true},
			"IsSecondaryKey": false, "IsExportKey": false, "IsSynchronous": false, "AsyncJob": nil, "HasChanged": nil,
		})
	}
	return out
}
