package odata

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// KeyPredicate returns the parenthesised key of a row, "(a='x',b=2)", ready to follow an entity set
// name in a URL path. A key of one part with no name gives the primary-key form "(value)".
// Literal text is percent-encoded where a URL path needs it.
func KeyPredicate(key providers.Key) (string, error) {
	if len(key) == 0 {
		return "", errors.New("empty key")
	}
	var b strings.Builder
	b.WriteByte('(')
	for i, p := range key {
		if p.Name == "" && len(key) > 1 {
			return "", errors.New("every part of a composite key needs a name")
		}
		lit, err := Literal(p.Value)
		if err != nil {
			return "", fmt.Errorf("key part %s: %w", p.Name, err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		if p.Name != "" {
			b.WriteString(p.Name)
			b.WriteByte('=')
		}
		b.WriteString(escapePath(lit))
	}
	b.WriteByte(')')
	return b.String(), nil
}

// KeyString renders a key for messages, unescaped: (a='x',b=2).
func KeyString(key providers.Key) string {
	s, err := KeyPredicate(key)
	if err != nil {
		return fmt.Sprint([]providers.KeyPart(key))
	}
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// escapePath percent-encodes the bytes of s that cannot stand literally in a path segment or that
// services treat as separators, keeping the OData punctuation readable.
func escapePath(s string) string {
	const keep = "-._~'()=,:@$*!"
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

// EntityKey returns the text between the last "(" of the last path segment of an OData-EntityId or
// Location URI and its closing ")": "78914942-…" for accounts(78914942-…), "accountnumber='A1'" for a
// key form. ok is false when the URI has no key.
func EntityKey(uri string) (set, key string, ok bool) {
	path := uri
	if u, err := url.Parse(uri); err == nil {
		path = u.Path
	}
	path = strings.TrimRight(path, "/")
	seg := path[strings.LastIndexByte(path, '/')+1:]
	open := strings.IndexByte(seg, '(')
	if open <= 0 || !strings.HasSuffix(seg, ")") {
		return "", "", false
	}
	return seg[:open], seg[open+1 : len(seg)-1], true
}

// EntityGUID returns the row id of an OData-EntityId such as …/accounts(78914942-34cb-…), or "".
func EntityGUID(uri string) providers.GUID {
	_, key, ok := EntityKey(uri)
	if !ok {
		return ""
	}
	if i := strings.IndexByte(key, '='); i >= 0 {
		key = key[i+1:]
	}
	if IsGUID(key) {
		return providers.GUID(strings.ToLower(key))
	}
	return ""
}
