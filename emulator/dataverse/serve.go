package dataverse

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// dataverseMaxPage is the Dataverse page cap [D].
const dataverseMaxPage = 5000

// dataverseBase matches the Web API root; v9.0 and v9.1 URLs keep working like v9.2 [D].
var dataverseBase = regexp.MustCompile(`^/api/data/v9\.[0-2]/`)

// serveDataverse routes a Dataverse Web API request.
func (dv *Service) serveDataverse(w http.ResponseWriter, r *http.Request) {
	loc := dataverseBase.FindStringIndex(r.URL.Path)
	if loc == nil {
		wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusNotFound, "", "No HTTP resource was found that matches the request URI '%s'.", r.URL.Path))
		return
	}
	rest := r.URL.Path[loc[1]:]
	if limit := urlLimit(r); len(r.URL.Path)+len(r.URL.RawQuery) > limit {
		wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusRequestURITooLong, wire.CodeBadRequest, "The URL is longer than %d characters.", limit))
		return
	}
	if dv.serveDataverseSpecial(w, r, rest) {
		return
	}
	segs := wire.SplitPath(rest)
	name, pred, hasKey, err := wire.SplitSegment(segs[0])
	if err != nil {
		wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "%v", err))
		return
	}
	t, ok := dv.store.TableBySet(store.Dataverse, name)
	if !ok {
		wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusNotFound, wire.CodeInvalidProperty, "Resource not found for the segment '%s'.", name))
		return
	}
	dr := &dvRequest{dv: dv, w: w, r: r, t: t, pred: pred, hasKey: hasKey, segs: segs[1:]}
	dr.serve()
}

// serveDataverseSpecial serves the service document, $metadata, $batch, functions, actions and
// metadata; it reports whether it answered.
func (dv *Service) serveDataverseSpecial(w http.ResponseWriter, r *http.Request, rest string) bool {
	switch {
	case rest == "" && r.Method == http.MethodGet:
		dv.dvServiceDocument(w)
	case rest == "$metadata":
		dv.dvCSDL(w)
	case rest == "$batch":
		wire.ServeBatch(w, r, store.Dataverse, dv.store, dv)
	case rest == "WhoAmI" || rest == "WhoAmI()":
		dv.dvWhoAmI(w)
	case strings.HasPrefix(rest, "RetrieveCurrentOrganization(") && r.Method == http.MethodGet:
		dv.dvCurrentOrganization(w)
	case rest == "SetAutoNumberSeed" || rest == "GetAutoNumberSeed" || rest == "GetNextAutoNumberValue":
		dv.dvAutoNumberAction(w, r, rest)
	case strings.HasPrefix(rest, "EntityDefinitions"):
		dv.serveEntityDefinitions(w, r, rest)
	default:
		return false
	}
	return true
}

// urlLimit is the URL length Dataverse accepts: 32 KB, 64 KB inside $batch [D].
func urlLimit(r *http.Request) int {
	if wire.InBatch(r.Context()) {
		return 64 << 10
	}
	return 32 << 10
}

// dvRequest is one request against a Dataverse entity set.
type dvRequest struct {
	dv     *Service
	w      http.ResponseWriter
	r      *http.Request
	t      *store.Table
	pred   string
	hasKey bool
	segs   []string
}

func (d *dvRequest) fail(e *wire.Error) { wire.WriteError(d.w, store.Dataverse, e) }

func (d *dvRequest) serve() {
	m := d.r.Method
	switch {
	case !d.hasKey && len(d.segs) == 1 && d.segs[0] == "$count" && m == http.MethodGet:
		d.count()
	case !d.hasKey && len(d.segs) == 0 && m == http.MethodGet:
		d.list()
	case !d.hasKey && len(d.segs) == 0 && m == http.MethodPost:
		d.create()
	case d.hasKey && len(d.segs) == 0 && m == http.MethodGet:
		d.get()
	case d.hasKey && len(d.segs) == 0 && (m == http.MethodPatch || m == http.MethodPut):
		d.upsert()
	case d.hasKey && len(d.segs) == 0 && m == http.MethodDelete:
		d.delete()
	case d.hasKey && len(d.segs) == 1:
		d.property(d.segs[0])
	case d.hasKey && len(d.segs) == 2 && d.segs[1] == "$ref" && (m == http.MethodPut || m == http.MethodDelete):
		d.reference(d.segs[0])
	default:
		d.w.Header().Set("Allow", "GET, POST, PATCH, DELETE")
		d.fail(wire.NewError(http.StatusMethodNotAllowed, wire.CodeNotSupported, "The HTTP method '%s' is not allowed for this resource.", m))
	}
}

func (d *dvRequest) base() string { return d.dv.base + "/api/data/v9.2/" }

// context returns the @odata.context of a collection or, with entity, of one row.
func (d *dvRequest) context(sel []string, entity bool) string {
	c := d.base() + "$metadata#" + d.t.EntitySet
	if len(sel) > 0 {
		c += "(" + strings.Join(sel, ",") + ")"
	}
	if entity {
		c += "/$entity"
	}
	return c
}

func (d *dvRequest) list() {
	q, aerr := wire.ParseQuery(store.Dataverse, d.r)
	if aerr != nil {
		d.fail(aerr)
		return
	}
	prefs := wire.Preferences(d.r.Header.Values("Prefer"))
	_, tracking := prefs["odata.track-changes"]
	switch {
	case q.DeltaToken != "":
		d.delta(q)
		return
	case tracking:
		aerr = d.checkTracking(q)
	}
	var lr wire.ListRequest
	if aerr == nil {
		lr, aerr = d.listRequest(q)
	}
	pageSize, paged, perr := d.pageSize(prefs)
	if aerr = firstError(aerr, perr); aerr != nil {
		d.fail(aerr)
		return
	}
	lr.Limit = pageSize
	if len(lr.OrderBy) == 1 && !lr.OrderBy[0].Desc && strings.EqualFold(lr.OrderBy[0].Column, d.t.PrimaryID) {
		lr.OrderBy = nil // the id order: pages continue after the last id instead of sorting every row
	}
	if !paged && q.Top >= 0 {
		lr.Limit = min(q.Top, dataverseMaxPage)
	}
	if q.SkipToken != "" {
		page, last := parseSkipToken(q.SkipToken)
		lr.Offset, lr.AfterID = 0, last
		if len(lr.OrderBy) > 0 {
			lr.Offset, lr.AfterID = (page-1)*pageSize, ""
		}
	}
	d.answerList(q, lr, paged, tracking)
}

// pageSize reads Prefer: odata.maxpagesize (capped at 5000) and reports whether it was given.
func (d *dvRequest) pageSize(prefs map[string]string) (int, bool, *wire.Error) {
	v, ok := prefs["odata.maxpagesize"]
	if !ok {
		return dataverseMaxPage, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, false, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The odata.maxpagesize preference must be a positive integer.")
	}
	n = min(n, dataverseMaxPage)
	d.w.Header().Set("Preference-Applied", "odata.maxpagesize="+strconv.Itoa(n))
	return n, true, nil
}

func (d *dvRequest) answerList(q wire.Query, lr wire.ListRequest, paged, tracking bool) {
	seq, err := d.dv.store.LastChange(d.r.Context())
	if err != nil {
		d.fail(wire.StoreError(err))
		return
	}
	res, err := wire.List(d.r.Context(), d.dv.store, lr)
	if err != nil {
		d.fail(wire.FilterEvalError(err))
		return
	}
	if tracking {
		d.w.Header().Set("Preference-Applied", joinPreference(d.w.Header().Get("Preference-Applied"), "odata.track-changes"))
	}
	d.writePage(q, res, paged || q.Top < 0, tracking, seq)
}

func firstError(errs ...*wire.Error) *wire.Error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func (d *dvRequest) listRequest(q wire.Query) (wire.ListRequest, *wire.Error) {
	lr := wire.ListRequest{Table: d.t, OrderBy: q.OrderBy, CountAll: q.Count}
	if aerr := d.checkColumns(q); aerr != nil {
		return lr, aerr
	}
	if q.Filter != "" {
		f, aerr := wire.CompileFilter(d.dv.store, d.t, q.Filter)
		if aerr != nil {
			return lr, aerr
		}
		lr.Filter = f
	}
	return lr, nil
}

func (d *dvRequest) checkColumns(q wire.Query) *wire.Error {
	for _, c := range q.Select {
		if !wire.ColumnReadable(d.t, c) && c != d.t.PrimaryID {
			return wire.UnknownProperty(d.t, c)
		}
	}
	for _, o := range q.OrderBy {
		if !wire.ColumnReadable(d.t, o.Column) && o.Column != d.t.PrimaryID {
			return wire.UnknownProperty(d.t, o.Column)
		}
	}
	for _, x := range q.Expand {
		if c, ok := d.t.Column(x.Nav); !ok || !store.IsLookup(c.Type) {
			return wire.UnknownProperty(d.t, x.Nav)
		}
	}
	return nil
}

func (d *dvRequest) writePage(q wire.Query, res wire.ListResult, canPage, tracking bool, seq int64) {
	values := make([]map[string]any, 0, len(res.Rows))
	for _, row := range res.Rows {
		values = append(values, d.render(row, q))
	}
	body := map[string]any{"@odata.context": d.context(q.Select, false), "value": values}
	if q.Count {
		body["@odata.count"] = min(res.Total, dataverseMaxPage)
		if res.Total > dataverseMaxPage {
			body["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"] = true
		}
	}
	if res.More && canPage && len(res.Rows) > 0 {
		page := 1
		if q.SkipToken != "" {
			page, _ = parseSkipToken(q.SkipToken)
		}
		last := res.Rows[len(res.Rows)-1].ID
		body["@odata.nextLink"] = d.nextLink(makeSkipToken(page+1, d.t.PrimaryID, last, res.Rows[0].ID, tracking))
	} else if tracking {
		body["@odata.deltaLink"] = d.deltaLink(seq)
	}
	wire.WriteJSON(d.w, http.StatusOK, body)
}

// render turns a stored row into its JSON form with $select and $expand applied.
func (d *dvRequest) render(row store.Row, q wire.Query) map[string]any {
	out := wire.Project(row.Data, q.Select, d.t.PrimaryID)
	out["@odata.etag"] = wire.ETag(store.Dataverse, row.Version)
	if want := requestedAnnotations(wire.Preferences(d.r.Header.Values("Prefer"))); want != nil {
		d.dv.annotate(d.r.Context(), d.t, out, want)
		d.w.Header().Set("Preference-Applied", joinPreference(d.w.Header().Get("Preference-Applied"), `odata.include-annotations="`+strings.Join(want, ",")+`"`))
	}
	for _, x := range q.Expand {
		out[x.Nav] = d.expand(row, x)
	}
	return out
}

func (d *dvRequest) expand(row store.Row, x wire.ExpandItem) any {
	c, _ := d.t.Column(x.Nav)
	id, _ := row.Data[store.LookupValueName(c.Name)].(string)
	if id == "" || len(c.Targets) == 0 {
		return nil
	}
	for _, target := range c.Targets {
		tt, ok := d.dv.store.Table(store.Dataverse, target)
		if !ok {
			continue
		}
		rel, found, err := d.dv.store.Get(d.r.Context(), store.Dataverse, tt.Name, id)
		if err == nil && found {
			out := wire.Project(rel.Data, x.Select, tt.PrimaryID)
			out["@odata.etag"] = wire.ETag(store.Dataverse, rel.Version)
			return out
		}
	}
	return nil
}

// nextLink is the request URL with $skiptoken replaced.
func (d *dvRequest) nextLink(token string) string {
	var keep []string
	for _, p := range strings.Split(d.r.URL.RawQuery, "&") {
		if p != "" && !strings.HasPrefix(p, "$skiptoken=") && !strings.HasPrefix(p, "%24skiptoken=") {
			keep = append(keep, p)
		}
	}
	keep = append(keep, "$skiptoken="+strings.ReplaceAll(url.QueryEscape(token), "+", "%20"))
	return d.dv.base + d.r.URL.Path + "?" + strings.Join(keep, "&")
}

// makeSkipToken builds a paging cookie in the service's shape [D]: the XML cookie with the page number
// and an inner, encoded cookie naming the last and first id of the page.
func makeSkipToken(page int, pk, last, first string, tracking bool) string {
	inner := `<cookie page="` + strconv.Itoa(page-1) + `"><` + pk + ` last="{` + strings.ToUpper(last) + `}" first="{` + strings.ToUpper(first) + `}" /></cookie>`
	esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	inner = esc(esc(inner))
	return `<cookie pagenumber="` + strconv.Itoa(page) + `" pagingcookie="` + inner + `" istracking="` + map[bool]string{true: "True", false: "False"}[tracking] + `" />`
}

var (
	skipPageRE = regexp.MustCompile(`pagenumber="(\d+)"`)
	skipLastRE = regexp.MustCompile(`last="\{([0-9A-Fa-f-]{36})\}"`)
)

// parseSkipToken returns the page number and the last id of the previous page.
func parseSkipToken(tok string) (int, string) {
	page := 1
	if m := skipPageRE.FindStringSubmatch(tok); m != nil {
		page, _ = strconv.Atoi(m[1])
	}
	inner := tok
	for i := 0; i < 3 && strings.Contains(inner, "%"); i++ {
		if u, err := url.QueryUnescape(inner); err == nil {
			inner = u
		}
	}
	if m := skipLastRE.FindStringSubmatch(inner); m != nil {
		return max(page, 1), strings.ToLower(m[1])
	}
	return max(page, 1), ""
}

func (d *dvRequest) count() {
	q, aerr := wire.ParseQuery(store.Dataverse, d.r)
	if aerr == nil && q.DeltaToken != "" {
		d.countChanges(q)
		return
	}
	if aerr == nil {
		var lr wire.ListRequest
		if lr, aerr = d.listRequest(q); aerr == nil {
			lr.CountAll = true
			n, err := wire.CountMatches(d.r.Context(), d.dv.store, lr)
			if err != nil {
				aerr = wire.FilterEvalError(err)
			} else {
				d.w.Header().Set("Content-Type", "text/plain")
				d.w.WriteHeader(http.StatusOK)
				_, _ = d.w.Write([]byte(strconv.Itoa(min(n, dataverseMaxPage))))
				return
			}
		}
	}
	d.fail(aerr)
}

// joinPreference adds p to a Preference-Applied value once.
func joinPreference(cur, p string) string {
	if cur == "" {
		return p
	}
	if strings.Contains(cur, p) {
		return cur
	}
	return cur + "," + p
}
