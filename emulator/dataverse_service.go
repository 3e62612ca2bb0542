package emulator

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

func (e *Emulator) dvServiceDocument(w http.ResponseWriter) {
	var sets []map[string]string
	for _, t := range e.store.Tables(store.Dataverse) {
		sets = append(sets, map[string]string{"name": t.EntitySet, "kind": "EntitySet", "url": t.EntitySet})
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"@odata.context": e.info.DataverseURL + "/api/data/v9.2/$metadata", "value": sets})
}

func (e *Emulator) dvWhoAmI(w http.ResponseWriter) {
	wire.WriteJSON(w, http.StatusOK, map[string]any{
		"@odata.context": e.info.DataverseURL + "/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse",
		"BusinessUnitId": e.id.BusinessUnitID, "UserId": e.id.UserID, "OrganizationId": e.id.OrganizationID,
	})
}

// dvCurrentOrganization answers RetrieveCurrentOrganization with the
// organisation's OrganizationDetail [D: the function's and the complex
// type's reference pages].
func (e *Emulator) dvCurrentOrganization(w http.ResponseWriter) {
	host := strings.TrimPrefix(e.info.DataverseURL, "https://")
	wire.WriteJSON(w, http.StatusOK, map[string]any{
		"@odata.context": e.info.DataverseURL + "/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.RetrieveCurrentOrganizationResponse",
		"Detail": map[string]any{
			"OrganizationId": e.id.OrganizationID, "EnvironmentId": powerAppsEnvironment(e.id.OrganizationID),
			"TenantId": e.id.TenantID, "FriendlyName": "dwctl emulator", "UniqueName": "org" + strings.ReplaceAll(e.id.OrganizationID, "-", "")[:8],
			"UrlName": host, "OrganizationVersion": "9.2.0.0", "State": "Enabled", "Geo": "EMU",
			"OrganizationType": "Developer", "SchemaType": "Standard",
			"Endpoints": map[string]any{"Count": 1, "IsReadOnly": true, "Keys": []string{"WebApplication"}, "Values": []string{e.info.DataverseURL + "/"}},
		},
	})
}

// property serves GET, PUT and DELETE of a single column of a row [D].
func (d *dvRequest) property(name string) {
	c, ok := d.t.Column(name)
	if !ok && !wire.ColumnReadable(d.t, name) {
		d.fail(wire.UnknownProperty(d.t, name))
		return
	}
	switch d.r.Method {
	case http.MethodGet:
		target, aerr := d.e.resolveKey(d.r.Context(), d.t, d.pred)
		if aerr == nil && !target.exists {
			aerr = notExist(d.t, firstNonEmpty(target.id, d.pred))
		}
		if aerr != nil {
			d.fail(aerr)
			return
		}
		wire.WriteJSON(d.w, http.StatusOK, map[string]any{
			"@odata.context": d.base() + "$metadata#" + d.t.EntitySet + "(" + target.id + ")/" + name,
			"value":          target.row.Data[name]})
	case http.MethodPut, http.MethodDelete:
		if !ok || store.IsLookup(c.Type) || c.ReadOnly {
			d.fail(wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The property '%s' cannot be set on its own.", name))
			return
		}
		d.setProperty(c)
	default:
		d.fail(wire.NewError(http.StatusMethodNotAllowed, wire.CodeNotSupported, "The HTTP method '%s' is not allowed for a property.", d.r.Method))
	}
}

func (d *dvRequest) setProperty(c *store.Column) {
	var value any
	if d.r.Method == http.MethodPut {
		var body struct{ Value any }
		if err := json.NewDecoder(http.MaxBytesReader(nil, d.r.Body, wire.MaxBody)).Decode(&body); err != nil {
			d.fail(wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The body must be {\"value\": ...}: %v", err))
			return
		}
		if aerr := checkDataverseValue(d.t, c, body.Value); aerr != nil {
			d.fail(aerr)
			return
		}
		value = normalizeValue(c, body.Value)
	}
	aerr := d.e.updateStore(d.r.Context(), func(ctx context.Context) *wire.Error {
		target, aerr := d.e.resolveKey(ctx, d.t, d.pred)
		if aerr != nil {
			return aerr
		}
		if !target.exists {
			return notExist(d.t, firstNonEmpty(target.id, d.pred))
		}
		target.row.Data[c.Name] = value
		target.row.Data["modifiedon"] = d.e.clock().UTC().Format(time.RFC3339)
		_, aerr = d.e.dvPut(ctx, d.t, target.row)
		return aerr
	})
	if aerr != nil {
		d.fail(aerr)
		return
	}
	d.w.WriteHeader(http.StatusNoContent)
}

// dvCSDL serves $metadata: a CSDL document of every table (namespace Microsoft.Dynamics.CRM, container
// System [O]) with properties, keys and lookup navigation properties.
func (e *Emulator) dvCSDL(w http.ResponseWriter) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">`)
	tables := e.store.Tables(store.Dataverse)
	for _, t := range tables {
		b.WriteString(`<EntityType Name="` + xmlEsc(t.Name) + `"><Key><PropertyRef Name="` + xmlEsc(t.PrimaryID) + `"/></Key>`)
		b.WriteString(`<Property Name="` + xmlEsc(t.PrimaryID) + `" Type="Edm.Guid"/>`)
		for _, c := range t.Columns {
			if store.IsLookup(c.Type) {
				b.WriteString(`<Property Name="` + xmlEsc(store.LookupValueName(c.Name)) + `" Type="Edm.Guid"/>`)
				if len(c.Targets) > 0 {
					b.WriteString(`<NavigationProperty Name="` + xmlEsc(c.Name) + `" Type="mscrm.` + xmlEsc(c.Targets[0]) + `"/>`)
				}
				continue
			}
			b.WriteString(`<Property Name="` + xmlEsc(c.Name) + `" Type="` + edmType(c) + `"/>`)
		}
		b.WriteString(`</EntityType>`)
	}
	b.WriteString(`<EntityContainer Name="System">`)
	for _, t := range tables {
		b.WriteString(`<EntitySet Name="` + xmlEsc(t.EntitySet) + `" EntityType="Microsoft.Dynamics.CRM.` + xmlEsc(t.Name) + `"/>`)
	}
	b.WriteString(`</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
}

func xmlEsc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// edmType maps a column type to its EDM type.
func edmType(c store.Column) string {
	switch c.Type {
	case store.TypeInteger, store.TypePicklist, store.TypeState, store.TypeStatus:
		return "Edm.Int32"
	case store.TypeBigInt, store.TypeInt64:
		return "Edm.Int64"
	case store.TypeDecimal, store.TypeMoney, store.TypeReal:
		return "Edm.Decimal"
	case store.TypeDouble:
		return "Edm.Double"
	case store.TypeBoolean:
		return "Edm.Boolean"
	case store.TypeDateTime:
		return "Edm.DateTimeOffset"
	case store.TypeDate:
		return "Edm.Date"
	case store.TypeUniqueID, store.TypeGUID:
		return "Edm.Guid"
	case store.TypeEnum:
		return "Microsoft.Dynamics.DataEntities." + c.EnumType
	}
	return "Edm.String"
}

// formatDotNetTime renders t with a .NET custom date-time format (the tokens autonumber formats use).
func formatDotNetTime(t time.Time, f string) string {
	repl := strings.NewReplacer("yyyy", "2006", "yy", "06", "MM", "01", "dd", "02", "HH", "15", "hh", "03", "mm", "04", "ss", "05", "tt", "PM")
	return t.Format(repl.Replace(f))
}

// reference serves PUT {nav}/$ref {"@odata.id": "…"} and DELETE {nav}/$ref on a single-valued
// navigation property: set or clear the lookup [D].
func (d *dvRequest) reference(nav string) {
	c, ok := lookupByNav(d.t, nav)
	if !ok {
		d.fail(wire.UnknownProperty(d.t, nav))
		return
	}
	var ref string
	if d.r.Method == http.MethodPut {
		var body struct {
			ID string `json:"@odata.id"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(nil, d.r.Body, 1<<16)).Decode(&body); err != nil || body.ID == "" {
			d.fail(wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The body of a $ref request must be {\"@odata.id\": \"…\"}."))
			return
		}
		ref = body.ID
	}
	aerr := d.e.updateStore(d.r.Context(), func(ctx context.Context) *wire.Error {
		target, aerr := d.e.resolveKey(ctx, d.t, d.pred)
		if aerr == nil && !target.exists {
			aerr = notExist(d.t, firstNonEmpty(target.id, d.pred))
		}
		if aerr != nil {
			return aerr
		}
		var id any
		if ref != "" {
			rid, aerr := d.e.resolveBind(ctx, c, ref)
			if aerr != nil {
				return aerr
			}
			id = rid
		}
		target.row.Data[store.LookupValueName(c.Name)] = id
		target.row.Data["modifiedon"] = d.e.clock().UTC().Format(time.RFC3339)
		_, aerr = d.e.dvPut(ctx, d.t, target.row)
		return aerr
	})
	if aerr != nil {
		d.fail(aerr)
		return
	}
	d.w.WriteHeader(http.StatusNoContent)
}
