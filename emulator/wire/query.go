package wire

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
)

// Query are the system query options of a GET, parsed.
type Query struct {
	Select       []string
	Filter       string
	OrderBy      []OrderTerm
	Top          int // -1 when absent
	Skip         int
	Count        bool
	Expand       []ExpandItem
	SkipToken    string
	DeltaToken   string
	CrossCompany bool
	Raw          url.Values
}

type OrderTerm struct {
	Column string
	Desc   bool
}

type ExpandItem struct {
	Nav    string
	Select []string
}

// dataverseRejected are the query options the Dataverse Web API refuses with 400 [D].
var dataverseRejected = map[string]string{
	"$skip":   "The query parameter $skip is not supported",
	"$search": "The query parameter $search is not supported",
	"$format": "The query parameter $format is not supported",
}

// ParseQuery parses the query string of r for svc; option names are case-sensitive.
func ParseQuery(svc store.Service, r *http.Request) (Query, *Error) {
	raw, err := url.ParseQuery(r.URL.RawQuery)
	q := Query{Top: -1, Raw: raw}
	if err != nil {
		return q, NewError(http.StatusBadRequest, CodeBadRequest, "The query string is malformed: %v", err)
	}
	for name, vals := range raw {
		if e := q.set(svc, name, vals[0], raw); e != nil {
			return q, e
		}
	}
	return q, nil
}

func (q *Query) set(svc store.Service, name, val string, raw url.Values) *Error {
	bad := func(format string, args ...any) *Error {
		return NewError(http.StatusBadRequest, CodeBadRequest, format, args...)
	}
	if msg, ok := dataverseRejected[name]; ok && svc == store.Dataverse {
		return bad("%s.", msg)
	}
	switch name {
	case "$select":
		q.Select = SplitList(val)
	case "$filter":
		q.Filter = substituteAliases(val, raw)
	case "$orderby":
		terms, err := parseOrderBy(substituteAliases(val, raw))
		if err != nil {
			return bad("%v", err)
		}
		q.OrderBy = terms
	case "$top", "$skip":
		n, err := strconv.Atoi(val)
		if err != nil || n < 0 {
			return bad("The value of %s must be a non-negative integer: %q.", name, val)
		}
		if name == "$top" {
			q.Top = n
		} else {
			q.Skip = n
		}
	case "$count":
		if val != "true" && val != "false" {
			return bad("The value of $count must be true or false.")
		}
		q.Count = val == "true"
	case "$expand":
		items, err := parseExpand(val)
		if err != nil {
			return bad("%v", err)
		}
		q.Expand = items
	case "$skiptoken":
		q.SkipToken = val
	case "$deltatoken":
		q.DeltaToken = val
	case "$apply":
		return bad("The query parameter $apply is not supported by the emulator.")
	case "cross-company":
		q.CrossCompany = strings.EqualFold(val, "true")
	default:
		if strings.HasPrefix(name, "$") {
			return bad("The query parameter %s is not supported.", name)
		}
	}
	return nil
}

func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// substituteAliases replaces parameter aliases (@p1) outside string literals by their values from the
// query string; an unassigned alias is null [D].
func substituteAliases(s string, raw url.Values) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\'' {
			quoted = !quoted
		}
		if c != '@' || quoted {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(s) && (IsAlnum(s[j]) || s[j] == '_') {
			j++
		}
		v := raw.Get(s[i:j])
		if v == "" {
			v = "null"
		}
		b.WriteString(v)
		i = j - 1
	}
	return b.String()
}

func parseOrderBy(s string) ([]OrderTerm, error) {
	var out []OrderTerm
	for _, item := range SplitList(s) {
		f := strings.Fields(item)
		t := OrderTerm{Column: f[0]}
		if len(f) > 2 || (len(f) == 2 && f[1] != "asc" && f[1] != "desc") {
			return nil, fmt.Errorf("bad $orderby item %q", item)
		}
		t.Desc = len(f) == 2 && f[1] == "desc"
		out = append(out, t)
	}
	return out, nil
}

// parseExpand parses nav($select=a,b;$top=1),nav2 — nested $expand is kept out [D says allowed; the
// emulator answers 400 for it].
func parseExpand(s string) ([]ExpandItem, error) {
	var out []ExpandItem
	for _, item := range splitTop(s, ',') {
		name, opts, _, err := SplitSegment(strings.TrimSpace(item))
		if err != nil {
			return nil, err
		}
		ex := ExpandItem{Nav: name}
		for _, o := range splitTop(opts, ';') {
			if o = strings.TrimSpace(o); o == "" {
				continue
			}
			k, v, _ := strings.Cut(o, "=")
			if k != "$select" {
				return nil, fmt.Errorf("the option %s inside $expand is not supported by the emulator", k)
			}
			ex.Select = SplitList(v)
		}
		out = append(out, ex)
	}
	return out, nil
}

// splitTop splits s at sep outside parentheses and quotes.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// SortRows orders rows by the $orderby terms; ties keep id order. Nulls sort first ascending [I].
func SortRows(rows []store.Row, terms []OrderTerm) {
	sort.SliceStable(rows, func(i, j int) bool {
		for _, t := range terms {
			c := CompareValues(Fold(rows[i].Data, t.Column), Fold(rows[j].Data, t.Column))
			if c != 0 {
				return (c < 0) != t.Desc
			}
		}
		return false
	})
}

func Fold(data map[string]any, col string) any {
	v, _ := store.LookupFold(data, col)
	return v
}

func CompareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	switch x := a.(type) {
	case float64:
		if y, ok := b.(float64); ok {
			return cmpOrdered(x, y)
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(strings.ToLower(x), strings.ToLower(y))
		}
	case bool:
		if y, ok := b.(bool); ok && x != y {
			if x {
				return 1
			}
			return -1
		}
		return 0
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func cmpOrdered[T float64 | int | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Project keeps the selected columns of data (all when sel is empty) plus the always columns.
func Project(data map[string]any, sel []string, always ...string) map[string]any {
	if len(sel) == 0 {
		out := make(map[string]any, len(data))
		for k, v := range data {
			out[k] = v
		}
		return out
	}
	out := make(map[string]any, len(sel)+len(always))
	for _, c := range append(sel, always...) {
		if v, ok := store.LookupFold(data, c); ok {
			out[c] = v
		} else {
			out[c] = nil
		}
	}
	return out
}
