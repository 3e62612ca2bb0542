package dataverse

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

func (m *metaRequest) attributes(pred string, hasKey bool, rest []string, entityCtx string) {
	cast := ""
	if len(rest) == 1 && strings.HasPrefix(rest[0], "Microsoft.Dynamics.CRM.") {
		cast = "#" + rest[0]
	}
	switch {
	case !hasKey && m.r.Method == http.MethodGet:
		items := m.dv.renderAttributes(m.t)
		if cast != "" {
			items = filterType(items, cast)
		}
		m.dv.writeMetaList(m.w, m.q, entityCtx+"/Attributes", items)
	case !hasKey && m.r.Method == http.MethodPost:
		m.createAttribute()
	case hasKey:
		c, aerr := m.attribute(pred)
		if aerr != nil {
			m.fail(aerr)
			return
		}
		if m.r.Method == http.MethodPut {
			m.updateAttribute(c)
			return
		}
		full := renderAttribute(m.t, *c)
		body := expandMeta(projectMeta(full, m.q.Select), full, m.q.Expand)
		body["@odata.context"] = m.dv.base + "/api/data/v9.2/$metadata#" + entityCtx + "/Attributes/$entity"
		wire.WriteJSON(m.w, http.StatusOK, body)
	default:
		m.fail(wire.NewError(http.StatusMethodNotAllowed, wire.CodeNotSupported, "Unsupported method for Attributes."))
	}
}

func filterType(items []map[string]any, odataType string) []map[string]any {
	var out []map[string]any
	for _, it := range items {
		if it["@odata.type"] == odataType {
			out = append(out, it)
		}
	}
	return out
}

func (m *metaRequest) attribute(pred string) (*store.Column, *wire.Error) {
	parts, err := wire.ParseKeyPredicate(pred)
	if err == nil && len(parts) == 1 {
		v, _ := parts[0].Value.(string)
		for i := range m.t.Columns {
			c := &m.t.Columns[i]
			if c.Name == v || c.MetadataID == v {
				return c, nil
			}
		}
	}
	return nil, wire.NewError(http.StatusNotFound, wire.CodeObjectDoesNotExist, "Could not find attribute %s of %s.", pred, m.t.Name)
}

// attributeBody is the part of AttributeMetadata the emulator reads on create and update.
type attributeBody struct {
	ODataType        string `json:"@odata.type"`
	SchemaName       string
	LogicalName      string
	MaxLength        int
	Precision        int
	AutoNumberFormat *string
	RequiredLevel    struct{ Value string }
	DisplayName      struct {
		LocalizedLabels []struct{ Label string }
	}
	Targets   []string
	OptionSet struct {
		Options []struct {
			Value int
			Label struct{ LocalizedLabels []struct{ Label string } }
		}
	}
}

func (m *metaRequest) decodeAttribute() (attributeBody, *wire.Error) {
	var b attributeBody
	if err := json.NewDecoder(http.MaxBytesReader(nil, m.r.Body, 1<<20)).Decode(&b); err != nil {
		return b, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The attribute definition is not valid JSON: %v", err)
	}
	return b, nil
}

func (m *metaRequest) createAttribute() {
	b, aerr := m.decodeAttribute()
	if aerr != nil {
		m.fail(aerr)
		return
	}
	typ := ""
	for t, names := range attributeTypeNames {
		if strings.TrimPrefix(b.ODataType, "#") == "Microsoft.Dynamics.CRM."+names[0] && t != store.TypeCustomer {
			typ = t
		}
	}
	name := strings.ToLower(b.SchemaName)
	if typ == "" || name == "" {
		m.fail(wire.NewError(http.StatusBadRequest, wire.CodeInvalidArgument, "An attribute needs a SchemaName and a supported @odata.type."))
		return
	}
	if _, exists := m.t.Column(name); exists {
		m.fail(wire.NewError(http.StatusBadRequest, "0x80044363", "An attribute with the name %s already exists on %s.", name, m.t.Name))
		return
	}
	c := store.Column{Name: name, Type: typ, MetadataID: wire.NewGUID(), MaxLength: b.MaxLength, Precision: b.Precision,
		Required: b.RequiredLevel.Value == "ApplicationRequired" || b.RequiredLevel.Value == "SystemRequired", Targets: b.Targets}
	if len(b.DisplayName.LocalizedLabels) > 0 {
		c.Label = b.DisplayName.LocalizedLabels[0].Label
	}
	if b.AutoNumberFormat != nil {
		c.AutoNumberFormat = *b.AutoNumberFormat
	}
	for _, o := range b.OptionSet.Options {
		lbl := ""
		if len(o.Label.LocalizedLabels) > 0 {
			lbl = o.Label.LocalizedLabels[0].Label
		}
		c.Options = append(c.Options, store.Option{Value: o.Value, Label: lbl})
	}
	t := m.t.Clone()
	t.Columns = append(t.Columns, c)
	if err := m.dv.store.PutTable(m.r.Context(), t); err != nil {
		m.fail(wire.StoreError(err))
		return
	}
	m.w.Header().Set("OData-EntityId", m.dv.base+"/api/data/v9.2/EntityDefinitions("+t.MetadataID+")/Attributes("+c.MetadataID+")")
	m.w.WriteHeader(http.StatusNoContent)
}

// updateAttribute applies a PUT of an attribute definition: MaxLength, RequiredLevel, DisplayName and
// AutoNumberFormat are taken over [D].
func (m *metaRequest) updateAttribute(c *store.Column) {
	b, aerr := m.decodeAttribute()
	if aerr != nil {
		m.fail(aerr)
		return
	}
	t := m.t.Clone()
	nc, _ := t.Column(c.Name)
	if b.AutoNumberFormat != nil {
		if nc.Type != store.TypeString {
			m.fail(invalidArgument("AutoNumberFormat is only valid on single-line text attributes."))
			return
		}
		nc.AutoNumberFormat = *b.AutoNumberFormat
	}
	if b.MaxLength > 0 {
		nc.MaxLength = b.MaxLength
	}
	if b.RequiredLevel.Value != "" {
		nc.Required = b.RequiredLevel.Value != "None"
	}
	if len(b.DisplayName.LocalizedLabels) > 0 {
		nc.Label = b.DisplayName.LocalizedLabels[0].Label
	}
	if err := m.dv.store.PutTable(m.r.Context(), t); err != nil {
		m.fail(wire.StoreError(err))
		return
	}
	m.w.WriteHeader(http.StatusNoContent)
}

func (m *metaRequest) keys(pred string, hasKey bool, entityCtx string) {
	switch {
	case !hasKey && m.r.Method == http.MethodGet:
		m.dv.writeMetaList(m.w, m.q, entityCtx+"/Keys", renderKeys(m.t))
	case !hasKey && m.r.Method == http.MethodPost:
		m.createKey()
	case hasKey:
		k, aerr := m.key(pred)
		if aerr != nil {
			m.fail(aerr)
			return
		}
		switch m.r.Method {
		case http.MethodGet:
			for _, it := range renderKeys(m.t) {
				if it["MetadataId"] == k.MetadataID {
					body := projectMeta(it, m.q.Select)
					body["@odata.context"] = m.dv.base + "/api/data/v9.2/$metadata#" + entityCtx + "/Keys/$entity"
					wire.WriteJSON(m.w, http.StatusOK, body)
				}
			}
		case http.MethodDelete:
			m.deleteKey(k)
		default:
			m.fail(wire.NewError(http.StatusMethodNotAllowed, wire.CodeNotSupported, "Unsupported method for Keys."))
		}
	default:
		m.fail(wire.NewError(http.StatusMethodNotAllowed, wire.CodeNotSupported, "Unsupported method for Keys."))
	}
}

func (m *metaRequest) key(pred string) (*store.Key, *wire.Error) {
	parts, err := wire.ParseKeyPredicate(pred)
	if err == nil && len(parts) == 1 {
		v, _ := parts[0].Value.(string)
		for i := range m.t.Keys {
			k := &m.t.Keys[i]
			if k.MetadataID == v || k.LogicalName() == strings.ToLower(v) {
				return k, nil
			}
		}
	}
	return nil, wire.NewError(http.StatusNotFound, wire.CodeObjectDoesNotExist, "Could not find key %s of %s.", pred, m.t.Name)
}

// keyColumnTypes are the column types allowed in alternate keys [D].
var keyColumnTypes = map[string]bool{store.TypeDecimal: true, store.TypeInteger: true, store.TypeBigInt: true, store.TypeString: true, store.TypeDateTime: true, store.TypeLookup: true, store.TypePicklist: true}

func (m *metaRequest) createKey() {
	var b struct {
		SchemaName    string
		KeyAttributes []string
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, m.r.Body, 1<<20)).Decode(&b); err != nil || b.SchemaName == "" || len(b.KeyAttributes) == 0 {
		m.fail(wire.NewError(http.StatusBadRequest, wire.CodeInvalidArgument, "A key needs a SchemaName and KeyAttributes."))
		return
	}
	if aerr := m.checkKey(b.SchemaName, b.KeyAttributes); aerr != nil {
		m.fail(aerr)
		return
	}
	t := m.t.Clone()
	k := store.Key{SchemaName: b.SchemaName, MetadataID: wire.NewGUID(), Columns: b.KeyAttributes, Status: store.KeyPending, CreatedAt: m.dv.clock()}
	t.Keys = append(t.Keys, k)
	if err := m.dv.store.PutTable(m.r.Context(), t); err != nil {
		m.fail(wire.StoreError(err))
		return
	}
	m.w.Header().Set("OData-EntityId", m.dv.base+"/api/data/v9.2/EntityDefinitions("+t.MetadataID+")/Keys("+k.MetadataID+")")
	m.w.WriteHeader(http.StatusNoContent)
}

// checkKey applies the documented constraints: ≤ 10 keys, ≤ 16 columns, allowed types, unique name.
func (m *metaRequest) checkKey(schema string, cols []string) *wire.Error {
	if len(m.t.Keys) >= 10 {
		return invalidArgument("A table can have at most 10 alternate keys.")
	}
	if len(cols) > 16 {
		return invalidArgument("An alternate key can have at most 16 columns.")
	}
	if _, dup := m.t.Key(schema); dup {
		return wire.NewError(http.StatusBadRequest, "0x80048403", "An entity key with the name %s already exists.", schema)
	}
	for _, name := range cols {
		c, ok := m.t.Column(name)
		if !ok {
			return invalidArgument("The attribute %s does not exist on %s.", name, m.t.Name)
		}
		if !keyColumnTypes[c.Type] {
			return invalidArgument("The attribute %s of type %s cannot be part of an alternate key.", name, c.Type)
		}
	}
	return nil
}

func (m *metaRequest) deleteKey(k *store.Key) {
	t := m.t.Clone()
	for i := range t.Keys {
		if t.Keys[i].MetadataID == k.MetadataID {
			t.Keys = append(t.Keys[:i], t.Keys[i+1:]...)
			break
		}
	}
	err := m.dv.store.Update(m.r.Context(), func(ctx context.Context) error {
		if err := m.dv.store.DropKeyIndex(ctx, m.t, k); err != nil {
			return err
		}
		return m.dv.store.PutTable(ctx, t)
	})
	if err != nil {
		m.fail(wire.StoreError(err))
		return
	}
	m.w.WriteHeader(http.StatusNoContent)
}

// AdvanceKeys moves new alternate keys through Pending → InProgress → Active (or Failed when existing
// rows hold duplicates) as KeyIndexDelay passes.
func (dv *Service) AdvanceKeys(ctx context.Context) {
	dv.keyMu.Lock()
	defer dv.keyMu.Unlock()
	now := dv.clock()
	for _, t := range dv.store.Tables(store.Dataverse) {
		var next *store.Table
		for i, k := range t.Keys {
			if k.Status != store.KeyPending && k.Status != store.KeyInProgress {
				continue
			}
			age := now.Sub(k.CreatedAt)
			if next == nil {
				next = t.Clone()
			}
			nk := &next.Keys[i]
			switch {
			case age >= dv.keyIndexDelay:
				nk.Status = store.KeyActive
				var conflict *store.KeyConflictError
				if err := dv.store.BuildKeyIndex(ctx, next, nk); errors.As(err, &conflict) {
					nk.Status = store.KeyFailed
				} else if err != nil {
					dv.log.Error("building a key index", "table", t.Name, "key", k.SchemaName, "error", err)
					nk.Status = k.Status
				}
			case age >= dv.keyIndexDelay/2:
				nk.Status = store.KeyInProgress
			}
		}
		if next != nil {
			if err := dv.store.PutTable(ctx, next); err != nil {
				dv.log.Error("storing key status", "table", t.Name, "error", err)
			}
		}
	}
}
