package dataverse

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/filter"
)

// serveEntityDefinitions serves the Dataverse metadata API: EntityDefinitions, their Attributes (with
// type-cast segments) and Keys [D]. Metadata is never paged.
//
// Metadata writes are serialised with the key lifecycle (keyMu) and read the table after taking the
// lock. Inside a change set (which holds the store's write lock) neither happens, to keep one lock order.
func (dv *Service) serveEntityDefinitions(w http.ResponseWriter, r *http.Request, rest string) {
	if !store.InTransaction(r.Context()) {
		dv.AdvanceKeys(r.Context())
		if r.Method != http.MethodGet {
			dv.keyMu.Lock()
			defer dv.keyMu.Unlock()
		}
	}
	segs := wire.SplitPath(rest)
	_, pred, hasKey, err := wire.SplitSegment(segs[0])
	if err != nil {
		wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "%v", err))
		return
	}
	q, aerr := wire.ParseQuery(store.Dataverse, r)
	if aerr != nil {
		wire.WriteError(w, store.Dataverse, aerr)
		return
	}
	if !hasKey {
		if len(segs) > 1 || (r.Method != http.MethodGet && r.Method != http.MethodPost) {
			wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusMethodNotAllowed, wire.CodeNotSupported, "Unsupported metadata request."))
			return
		}
		if r.Method == http.MethodPost {
			dv.createTable(w, r)
			return
		}
		dv.writeMetaList(w, q, "EntityDefinitions", dv.entityList(q))
		return
	}
	t, aerr := dv.metaTable(pred)
	if aerr != nil {
		wire.WriteError(w, store.Dataverse, aerr)
		return
	}
	mr := &metaRequest{dv: dv, w: w, r: r, t: t, q: q}
	mr.serve(segs[1:])
}

// metaTable resolves EntityDefinitions(LogicalName='x') or EntityDefinitions(guid).
func (dv *Service) metaTable(pred string) (*store.Table, *wire.Error) {
	parts, err := wire.ParseKeyPredicate(pred)
	if err != nil || len(parts) != 1 {
		return nil, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "Bad EntityDefinitions key %q.", pred)
	}
	v, _ := parts[0].Value.(string)
	for _, t := range dv.store.Tables(store.Dataverse) {
		if (parts[0].Name == "LogicalName" && t.Name == v) || ((parts[0].Name == "" || parts[0].Name == "MetadataId") && t.MetadataID == v) {
			return t, nil
		}
	}
	return nil, wire.NewError(http.StatusNotFound, wire.CodeObjectDoesNotExist, "Could not find an entity with name or id %s.", v)
}

func (dv *Service) entityList(q wire.Query) []map[string]any {
	var out []map[string]any
	for _, t := range dv.store.Tables(store.Dataverse) {
		out = append(out, dv.renderEntity(t, q))
	}
	return out
}

// writeMetaList filters (with the Web API filter language over the rendered definitions), projects
// and writes a metadata collection.
func (dv *Service) writeMetaList(w http.ResponseWriter, q wire.Query, ctxPath string, items []map[string]any) {
	var expr filter.Expr
	if q.Filter != "" {
		var diags []filter.Diagnostic
		expr, diags = filter.ParseWebAPI(metadataEnumRE.ReplaceAllString(q.Filter, "'$1'"))
		if filter.HasErrors(diags) || expr == nil {
			msg := "Invalid $filter on metadata."
			if len(diags) > 0 {
				msg += " " + diags[0].Error()
			}
			wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "%s", msg))
			return
		}
	}
	values := []map[string]any{}
	for _, it := range items {
		if expr != nil {
			ok, err := expr.Eval(wire.MetaRow(it))
			if err != nil || !ok {
				continue
			}
		}
		values = append(values, expandMeta(projectMeta(it, q.Select), it, q.Expand))
	}
	c := dv.base + "/api/data/v9.2/$metadata#" + ctxPath
	if len(q.Select) > 0 {
		c += "(" + strings.Join(q.Select, ",") + ")"
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"@odata.context": c, "value": values})
}

// metadataEnumRE matches enum literals of metadata filters (Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned');
// metadata renders enum properties as member names, so they compare as strings.
var metadataEnumRE = regexp.MustCompile(`Microsoft\.Dynamics\.CRM\.\w+'([^']*)'`)

// expandMeta adds the complex or collection properties named in $expand (OptionSet, Attributes,
// Keys) to a projected item, each projected by its own $select.
func expandMeta(out, full map[string]any, expand []wire.ExpandItem) map[string]any {
	for _, x := range expand {
		switch v := full[x.Nav].(type) {
		case map[string]any:
			if len(x.Select) == 0 {
				out[x.Nav] = v
				continue
			}
			sub := map[string]any{}
			for _, s := range x.Select {
				sub[s] = v[s]
			}
			out[x.Nav] = sub
		case []map[string]any:
			out[x.Nav] = projectAll(v, x.Select)
		}
	}
	return out
}

func projectMeta(it map[string]any, sel []string) map[string]any {
	if len(sel) == 0 {
		return it
	}
	out := map[string]any{"MetadataId": it["MetadataId"]}
	if t, ok := it["@odata.type"]; ok {
		out["@odata.type"] = t
	}
	for _, s := range sel {
		out[s] = it[s]
	}
	for k, v := range it {
		if _, isList := v.([]map[string]any); isList {
			out[k] = v // expanded collections stay
		}
	}
	return out
}

// metaRequest is a request below EntityDefinitions(...).
type metaRequest struct {
	dv *Service
	w  http.ResponseWriter
	r  *http.Request
	t  *store.Table
	q  wire.Query
}

func (m *metaRequest) fail(a *wire.Error) { wire.WriteError(m.w, store.Dataverse, a) }

func (m *metaRequest) serve(segs []string) {
	entityCtx := "EntityDefinitions(" + m.t.MetadataID + ")"
	if len(segs) == 0 {
		if m.r.Method != http.MethodGet {
			m.fail(wire.NewError(http.StatusMethodNotAllowed, wire.CodeNotSupported, "Updating table definitions is not supported by the emulator."))
			return
		}
		body := projectMeta(m.dv.renderEntity(m.t, m.q), m.q.Select)
		body["@odata.context"] = m.dv.base + "/api/data/v9.2/$metadata#EntityDefinitions/$entity"
		wire.WriteJSON(m.w, http.StatusOK, body)
		return
	}
	name, pred, hasKey, err := wire.SplitSegment(segs[0])
	if err != nil {
		m.fail(wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "%v", err))
		return
	}
	switch name {
	case "Attributes":
		m.attributes(pred, hasKey, segs[1:], entityCtx)
	case "Keys":
		m.keys(pred, hasKey, entityCtx)
	default:
		m.fail(wire.NewError(http.StatusNotFound, wire.CodeBadRequest, "Resource not found for the segment '%s'.", name))
	}
}
