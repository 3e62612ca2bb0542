package odata

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// Param is one query option.
type Param struct{ Name, Value string }

// QueryParams returns the system query options of q ($filter, $select, $orderby, $top) in a fixed order.
// Company is not an OData option; each client handles it.
func QueryParams(q providers.Query) []Param {
	var ps []Param
	if len(q.Select) > 0 {
		ps = append(ps, Param{"$select", strings.Join(q.Select, ",")})
	}
	if q.Filter != "" {
		ps = append(ps, Param{"$filter", q.Filter})
	}
	if len(q.OrderBy) > 0 {
		ps = append(ps, Param{"$orderby", strings.Join(q.OrderBy, ",")})
	}
	if q.Top > 0 {
		ps = append(ps, Param{"$top", strconv.Itoa(q.Top)})
	}
	return ps
}

// Encode renders params as a query string (without "?"). Option names are written as they are
// ("$select"); values are percent-encoded except for OData punctuation, and spaces become %20, never "+".
func Encode(params []Param) string {
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.Name)
		b.WriteByte('=')
		b.WriteString(escapeQuery(p.Value))
	}
	return b.String()
}

func escapeQuery(s string) string {
	const keep = "-._~'(),:/$*!@"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// Path joins an entity set and an optional query string.
func Path(set string, params []Param) string {
	if len(params) == 0 {
		return set
	}
	return set + "?" + Encode(params)
}
