package dataverse

import (
	"cmp"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/tables"
	"github.com/dwctl/dwctl/emulator/wire"
)

// tableBody is the part of EntityMetadata the emulator reads when a table is created [D].
type tableBody struct {
	SchemaName    string
	EntitySetName string
	OwnershipType string
	DisplayName   struct{ LocalizedLabels []struct{ Label string } }
	Attributes    []attributeBody
}

var schemaNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+$`)

// createTable serves POST EntityDefinitions: a custom table with its primary name attribute (the
// string attribute marked IsPrimaryName, or {prefix}_name). The entity set name is the logical name
// plus "s" unless the body names one [I: the service pluralises].
func (dv *Service) createTable(w http.ResponseWriter, r *http.Request) {
	var b tableBody
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(&b); err != nil {
		wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The table definition is not valid JSON: %v", err))
		return
	}
	if !schemaNameRE.MatchString(b.SchemaName) {
		wire.WriteError(w, store.Dataverse, invalidArgument("A custom table needs a SchemaName with a publisher prefix, such as new_Widget."))
		return
	}
	logical := strings.ToLower(b.SchemaName)
	set := cmp.Or(b.EntitySetName, logical+"s")
	if _, exists := dv.store.Table(store.Dataverse, logical); exists {
		wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusBadRequest, "0x80047013", "A table with the name %s already exists.", logical))
		return
	}
	if _, exists := dv.store.TableBySet(store.Dataverse, set); exists {
		wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusBadRequest, "0x80047013", "The entity set name %s is already used.", set))
		return
	}
	label := logical
	if len(b.DisplayName.LocalizedLabels) > 0 {
		label = b.DisplayName.LocalizedLabels[0].Label
	}
	prefix := logical[:strings.IndexByte(logical, '_')]
	primary := tables.Required(tables.String(prefix+"_name", 100))
	for _, a := range b.Attributes {
		if strings.Contains(a.ODataType, "StringAttributeMetadata") && a.SchemaName != "" {
			primary = tables.Required(tables.String(strings.ToLower(a.SchemaName), max(a.MaxLength, 100)))
			break
		}
	}
	t := tables.DataverseTable(logical, set, label, primary, false)
	t.MetadataID = wire.NewGUID()
	if b.OwnershipType == "OrganizationOwned" {
		t.OwnershipType = b.OwnershipType
	}
	if err := dv.store.PutTable(r.Context(), t); err != nil {
		wire.WriteError(w, store.Dataverse, wire.StoreError(err))
		return
	}
	w.Header().Set("OData-EntityId", dv.base+"/api/data/v9.2/EntityDefinitions("+t.MetadataID+")")
	w.WriteHeader(http.StatusNoContent)
}
