package finops

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// finOpsDefaultCompany is the company an F&O request sees without cross-company=true: the built-in
// DAT company [D] (the real default is per user).
const finOpsDefaultCompany = "dat"

// serveFinOps routes an F&O request: /data/ (OData) and /Metadata/ (metadata service).
func (fo *Service) serveFinOps(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/Metadata/"):
		fo.serveFinOpsMetadata(w, r, strings.TrimPrefix(p, "/Metadata/"))
		return
	case p == "/data" || p == "/data/":
		fo.foServiceDocument(w)
		return
	case !strings.HasPrefix(p, "/data/"):
		wire.WriteError(w, store.FinOps, wire.NewError(http.StatusNotFound, "", "No HTTP resource was found that matches the request URI '%s'.", p))
		return
	}
	rest := strings.TrimPrefix(p, "/data/")
	switch rest {
	case "$metadata":
		fo.foEDMX(w)
		return
	case "$batch":
		wire.ServeBatch(w, r, store.FinOps, fo.store, fo)
		return
	}
	segs := wire.SplitPath(rest)
	name, pred, hasKey, err := wire.SplitSegment(segs[0])
	if err != nil {
		wire.WriteError(w, store.FinOps, wire.NewError(http.StatusBadRequest, "", "%v", err))
		return
	}
	t, ok := fo.store.TableBySet(store.FinOps, name)
	if !ok {
		wire.WriteError(w, store.FinOps, wire.NewError(http.StatusNotFound, "", "Resource not found for the segment '%s'.", name))
		return
	}
	fr := &foRequest{fo: fo, w: w, r: r, t: t, pred: pred, hasKey: hasKey, segs: segs[1:]}
	fr.serve()
}

// foRequest is one request against an F&O entity set.
type foRequest struct {
	fo     *Service
	w      http.ResponseWriter
	r      *http.Request
	t      *store.Table
	pred   string
	hasKey bool
	segs   []string
}

func (f *foRequest) fail(a *wire.Error) { wire.WriteError(f.w, store.FinOps, a) }

func (f *foRequest) serve() {
	m := f.r.Method
	switch {
	case !f.hasKey && len(f.segs) == 1 && f.segs[0] == "$count" && m == http.MethodGet:
		f.list(true)
	case !f.hasKey && len(f.segs) == 0 && m == http.MethodGet:
		f.list(false)
	case !f.hasKey && len(f.segs) == 0 && m == http.MethodPost:
		f.create()
	case f.hasKey && len(f.segs) == 0 && m == http.MethodGet:
		f.get()
	case f.hasKey && len(f.segs) == 0 && (m == http.MethodPatch || m == http.MethodPut):
		f.update()
	case f.hasKey && len(f.segs) == 0 && m == http.MethodDelete:
		f.delete()
	default:
		f.fail(wire.NewError(http.StatusMethodNotAllowed, "", "The requested resource does not support http method '%s'.", m))
	}
}

func (f *foRequest) crossCompany() bool {
	return strings.EqualFold(f.r.URL.Query().Get("cross-company"), "true")
}

func (f *foRequest) list(countOnly bool) {
	q, aerr := wire.ParseQuery(store.FinOps, f.r)
	if aerr == nil {
		aerr = f.checkColumns(q)
	}
	if aerr != nil {
		f.fail(aerr)
		return
	}
	lr := wire.ListRequest{Table: f.t, OrderBy: q.OrderBy, CountAll: q.Count || countOnly, Offset: q.Skip}
	if !q.CrossCompany {
		lr.Company = finOpsDefaultCompany
	}
	if q.Filter != "" {
		if lr.Filter, aerr = wire.CompileFilter(f.fo.store, f.t, q.Filter); aerr != nil {
			f.fail(aerr)
			return
		}
	}
	if countOnly {
		n, err := wire.CountMatches(f.r.Context(), f.fo.store, lr)
		if err != nil {
			f.fail(wire.FilterEvalError(err))
			return
		}
		f.w.Header().Set("Content-Type", "text/plain")
		f.w.WriteHeader(http.StatusOK)
		_, _ = f.w.Write([]byte(strconv.Itoa(n)))
		return
	}
	f.page(q, lr)
}

func (f *foRequest) page(q wire.Query, lr wire.ListRequest) {
	pageSize := f.fo.pageSize
	if v, ok := wire.Preferences(f.r.Header.Values("Prefer"))["odata.maxpagesize"]; ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n < pageSize {
			pageSize = n // [U] whether F&O honours the preference
			f.w.Header().Set("Preference-Applied", "odata.maxpagesize="+v)
		}
	}
	lr.Limit = pageSize
	if q.Top >= 0 {
		lr.Limit = min(q.Top, pageSize)
	}
	if f.keyOrder(lr.OrderBy) {
		lr.OrderBy = nil // the id order is the entity key's
	}
	key, writes := "", f.fo.store.Writes(store.FinOps, f.t.Name)
	if len(lr.OrderBy) == 0 {
		key = cursorKey(f.t.Name, f.r.URL.RawQuery, q.Skip)
		if after, ok := f.fo.cursors.get(key, writes); ok {
			lr.Offset, lr.AfterID = 0, after
		}
	}
	res, err := wire.List(f.r.Context(), f.fo.store, lr)
	if err != nil {
		f.fail(wire.FilterEvalError(err))
		return
	}
	if key != "" && res.More && len(res.Rows) > 0 {
		f.fo.cursors.put(cursorKey(f.t.Name, f.r.URL.RawQuery, q.Skip+len(res.Rows)), res.Rows[len(res.Rows)-1].ID, writes)
	}
	values := make([]map[string]any, 0, len(res.Rows))
	for _, row := range res.Rows {
		values = append(values, f.render(row, q.Select))
	}
	body := map[string]any{"@odata.context": f.fo.base + "/data/$metadata#" + f.t.EntitySet + selectSuffix(q.Select), "value": values}
	if q.Count {
		body["@odata.count"] = res.Total
	}
	remaining := q.Top - len(res.Rows)
	if res.More && (q.Top < 0 || remaining > 0) {
		body["@odata.nextLink"] = f.nextLink(q.Skip+len(res.Rows), remaining, q.Top >= 0)
	}
	wire.WriteJSON(f.w, http.StatusOK, body)
}

// keyOrder reports whether an $orderby is the entity key, ascending: the
// order of the stored ids (the key's parts, case-folded, in key order)
// when every part is text.
func (f *foRequest) keyOrder(terms []wire.OrderTerm) bool {
	if len(f.t.Keys) == 0 || len(terms) != len(f.t.Keys[0].Columns) {
		return false
	}
	for i, t := range terms {
		c, ok := f.t.Column(f.t.Keys[0].Columns[i])
		if t.Desc || !strings.EqualFold(t.Column, f.t.Keys[0].Columns[i]) || !ok || c.Type != store.TypeString {
			return false // numbers sort by value, ids as text
		}
	}
	return true
}

func selectSuffix(sel []string) string {
	if len(sel) == 0 {
		return ""
	}
	return "(" + strings.Join(sel, ",") + ")"
}

// nextLink continues server-driven paging with $skip [O], keeping every other option.
func (f *foRequest) nextLink(skip, top int, hasTop bool) string {
	var keep []string
	for _, p := range strings.Split(f.r.URL.RawQuery, "&") {
		name, _, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil && (n == "$skip" || n == "$top") {
			continue
		}
		if p != "" {
			keep = append(keep, p)
		}
	}
	if hasTop {
		keep = append(keep, "$top="+strconv.Itoa(top))
	}
	keep = append(keep, "$skip="+strconv.Itoa(skip))
	return f.fo.base + f.r.URL.Path + "?" + strings.Join(keep, "&")
}

func (f *foRequest) checkColumns(q wire.Query) *wire.Error {
	for _, c := range q.Select {
		if _, ok := f.t.Column(c); !ok {
			return wire.UnknownProperty(f.t, c)
		}
	}
	for _, o := range q.OrderBy {
		if _, ok := f.t.Column(o.Column); !ok {
			return wire.UnknownProperty(f.t, o.Column)
		}
	}
	if len(q.Expand) > 0 {
		return wire.NewError(http.StatusBadRequest, "", "The emulated entities have no navigation properties to expand.")
	}
	return nil
}

func (f *foRequest) render(row store.Row, sel []string) map[string]any {
	out := wire.Project(row.Data, sel)
	out["@odata.etag"] = wire.ETag(store.FinOps, row.Version)
	return out
}
