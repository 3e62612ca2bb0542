package dataverse

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/authority"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

func (dv *Service) dvServiceDocument(w http.ResponseWriter) {
	var sets []map[string]string
	for _, t := range dv.store.Tables(store.Dataverse) {
		sets = append(sets, map[string]string{"name": t.EntitySet, "kind": "EntitySet", "url": t.EntitySet})
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"@odata.context": dv.base + "/api/data/v9.2/$metadata", "value": sets})
}

func (dv *Service) dvWhoAmI(w http.ResponseWriter) {
	wire.WriteJSON(w, http.StatusOK, map[string]any{
		"@odata.context": dv.base + "/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse",
		"BusinessUnitId": dv.id.BusinessUnitID, "UserId": dv.id.UserID, "OrganizationId": dv.id.OrganizationID,
	})
}

// dvCurrentOrganization answers RetrieveCurrentOrganization with the
// organisation's OrganizationDetail [D: the function's and the complex
// type's reference pages].
func (dv *Service) dvCurrentOrganization(w http.ResponseWriter) {
	host := strings.TrimPrefix(dv.base, "https://")
	wire.WriteJSON(w, http.StatusOK, map[string]any{
		"@odata.context": dv.base + "/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.RetrieveCurrentOrganizationResponse",
		"Detail": map[string]any{
			"OrganizationId": dv.id.OrganizationID, "EnvironmentId": authority.EnvironmentOf(dv.id.OrganizationID),
			"TenantId": dv.id.TenantID, "FriendlyName": "dwctl emulator", "UniqueName": "org" + strings.ReplaceAll(dv.id.OrganizationID, "-", "")[:8],
			"UrlName": host, "OrganizationVersion": "9.2.0.0", "State": "Enabled", "Geo": "EMU",
			"OrganizationType": "Developer", "SchemaType": "Standard",
			"Endpoints": map[string]any{"Count": 1, "IsReadOnly": true, "Keys": []string{"WebApplication"}, "Values": []string{dv.base + "/"}},
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
		target, aerr := d.dv.resolveKey(d.r.Context(), d.t, d.pred)
		if aerr == nil && !target.exists {
			aerr = notExist(d.t, cmp.Or(target.id, d.pred))
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
		if aerr := CheckValue(d.t, c, body.Value); aerr != nil {
			d.fail(aerr)
			return
		}
		value = NormalizeValue(c, body.Value)
	}
	aerr := wire.UpdateStore(d.r.Context(), d.dv.store, func(ctx context.Context) *wire.Error {
		target, aerr := d.dv.resolveKey(ctx, d.t, d.pred)
		if aerr != nil {
			return aerr
		}
		if !target.exists {
			return notExist(d.t, cmp.Or(target.id, d.pred))
		}
		target.row.Data[c.Name] = value
		target.row.Data["modifiedon"] = d.dv.clock().UTC().Format(time.RFC3339)
		_, aerr = d.dv.Put(ctx, d.t, target.row)
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
func (dv *Service) dvCSDL(w http.ResponseWriter) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">`)
	tables := dv.store.Tables(store.Dataverse)
	for _, t := range tables {
		b.WriteString(`<EntityType Name="` + wire.XMLEscape(t.Name) + `"><Key><PropertyRef Name="` + wire.XMLEscape(t.PrimaryID) + `"/></Key>`)
		b.WriteString(`<Property Name="` + wire.XMLEscape(t.PrimaryID) + `" Type="Edm.Guid"/>`)
		for _, c := range t.Columns {
			if store.IsLookup(c.Type) {
				b.WriteString(`<Property Name="` + wire.XMLEscape(store.LookupValueName(c.Name)) + `" Type="Edm.Guid"/>`)
				if len(c.Targets) > 0 {
					b.WriteString(`<NavigationProperty Name="` + wire.XMLEscape(c.Name) + `" Type="mscrm.` + wire.XMLEscape(c.Targets[0]) + `"/>`)
				}
				continue
			}
			b.WriteString(`<Property Name="` + wire.XMLEscape(c.Name) + `" Type="` + wire.EDMType(c) + `"/>`)
		}
		b.WriteString(`</EntityType>`)
	}
	b.WriteString(`<EntityContainer Name="System">`)
	for _, t := range tables {
		b.WriteString(`<EntitySet Name="` + wire.XMLEscape(t.EntitySet) + `" EntityType="Microsoft.Dynamics.CRM.` + wire.XMLEscape(t.Name) + `"/>`)
	}
	b.WriteString(`</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
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
	aerr := wire.UpdateStore(d.r.Context(), d.dv.store, func(ctx context.Context) *wire.Error {
		target, aerr := d.dv.resolveKey(ctx, d.t, d.pred)
		if aerr == nil && !target.exists {
			aerr = notExist(d.t, cmp.Or(target.id, d.pred))
		}
		if aerr != nil {
			return aerr
		}
		var id any
		if ref != "" {
			rid, aerr := d.dv.resolveBind(ctx, c, ref)
			if aerr != nil {
				return aerr
			}
			id = rid
		}
		target.row.Data[store.LookupValueName(c.Name)] = id
		target.row.Data["modifiedon"] = d.dv.clock().UTC().Format(time.RFC3339)
		_, aerr = d.dv.Put(ctx, d.t, target.row)
		return aerr
	})
	if aerr != nil {
		d.fail(aerr)
		return
	}
	d.w.WriteHeader(http.StatusNoContent)
}
