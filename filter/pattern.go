package filter

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type elemKind uint8

const (
	elemRune  elemKind = iota
	elemAny            // one character: SQL _, X++ ?
	elemStar           // any run of characters: SQL %, X++ *
	elemClass          // SQL [abc], [a-z], [^abc]
)

type elem struct {
	kind   elemKind
	r      rune
	ranges [][2]rune // elemClass
	negate bool      // elemClass [^...]
}

// pattern is a compiled, case-insensitive wildcard pattern.
type pattern struct {
	elems []elem
}

// likePattern compiles the SQL LIKE pattern Dataverse builds for
// contains/startswith/endswith(col, s): % and _ and [..] inside s keep their
// LIKE meaning, as in Dataverse [D].
func likePattern(fn, s string) *pattern {
	switch fn {
	case "contains":
		s = "%" + s + "%"
	case "startswith":
		s += "%"
	case "endswith":
		s = "%" + s
	}
	s = strings.ToLower(s)
	p := &pattern{}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '%':
			p.elems = append(p.elems, elem{kind: elemStar})
		case '_':
			p.elems = append(p.elems, elem{kind: elemAny})
		case '[':
			if e, n, ok := parseClass(s[i:]); ok {
				p.elems = append(p.elems, e)
				i += n
				continue
			}
			p.elems = append(p.elems, elem{kind: elemRune, r: r})
		default:
			p.elems = append(p.elems, elem{kind: elemRune, r: r})
		}
		i += size
	}
	return p
}

// parseClass parses a SQL [..] class at the start of s, returning it and its
// length. An unclosed [ is a plain character.
func parseClass(s string) (elem, int, bool) {
	end := strings.IndexByte(s[1:], ']')
	if end < 0 {
		return elem{}, 0, false
	}
	body := []rune(s[1 : end+1])
	e := elem{kind: elemClass}
	if len(body) > 0 && body[0] == '^' {
		e.negate, body = true, body[1:]
	}
	for j := 0; j < len(body); j++ {
		if j+2 < len(body) && body[j+1] == '-' {
			e.ranges = append(e.ranges, [2]rune{body[j], body[j+2]})
			j += 2
			continue
		}
		e.ranges = append(e.ranges, [2]rune{body[j], body[j]})
	}
	return e, end + 2, true
}

// wildcardPattern compiles an F&O pattern: * any run, ? one character.
func wildcardPattern(s string) *pattern {
	p := &pattern{}
	for _, r := range strings.ToLower(s) {
		switch r {
		case '*':
			p.elems = append(p.elems, elem{kind: elemStar})
		case '?':
			p.elems = append(p.elems, elem{kind: elemAny})
		default:
			p.elems = append(p.elems, elem{kind: elemRune, r: r})
		}
	}
	return p
}

func (e *elem) matches(r rune) bool {
	switch e.kind {
	case elemRune:
		return e.r == r
	case elemAny:
		return true
	case elemClass:
		in := false
		for _, rg := range e.ranges {
			if r >= rg[0] && r <= rg[1] {
				in = true
				break
			}
		}
		return in != e.negate
	}
	return false
}

// match reports whether s matches the pattern, ignoring case. It backtracks
// only to the last star, so it runs in O(len(s)·len(pattern)).
func (p *pattern) match(s string) bool {
	el := p.elems
	si, pi := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(el) {
			if el[pi].kind == elemStar {
				starP, starS = pi, si
				pi++
				continue
			}
			r, size := foldRune(s[si:])
			if el[pi].matches(r) {
				si += size
				pi++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		_, size := utf8.DecodeRuneInString(s[starS:])
		starS += size
		si, pi = starS, starP+1
	}
	for pi < len(el) && el[pi].kind == elemStar {
		pi++
	}
	return pi == len(el)
}

// foldRune decodes the first rune of s, lowercased.
func foldRune(s string) (rune, int) {
	if c := s[0]; c < utf8.RuneSelf {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return rune(c), 1
	}
	r, size := utf8.DecodeRuneInString(s)
	return unicode.ToLower(r), size
}
