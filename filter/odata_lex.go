package filter

import (
	"strings"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tQualified // dotted name: Microsoft.Dynamics.CRM.In
	tString
	tNumber
	tGUID
	tDate
	tDateTime
	tEnum // OData Namespace.Type'Value' or X++ Type::Value
	tLParen
	tRParen
	tComma
	tSlash
	tColon
	tAlias // @p1
	tOp    // X++ operators
	tIllegal
)

type token struct {
	kind       tokKind
	text       string // source text
	start, end int
	// val is the unquoted string of a tString.
	val string
	// err is the problem of a tIllegal or an unterminated string.
	err string
}

// odataLexer splits an OData $filter into tokens.
type odataLexer struct {
	src string
	pos int
}

func (l *odataLexer) next() token {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tEOF, start: start, end: start}
	}
	if k, ok := odataPunct[l.src[start]]; ok {
		return l.single(k)
	}
	switch c := l.src[start]; {
	case c == '\'':
		return l.quoted()
	case c == '@':
		l.pos = scanIdent(l.src, start+1)
		return l.tok(tAlias, start)
	case c == '"':
		return l.foreign(start)
	case strings.IndexByte(foreignOpChars, c) >= 0:
		for l.pos < len(l.src) && strings.IndexByte(foreignOpChars, l.src[l.pos]) >= 0 {
			l.pos++
		}
		t := l.tok(tIllegal, start)
		t.err = "operator"
		return t
	}
	if t, ok := l.value(start); ok {
		return t
	}
	return illegal(l.src, &l.pos)
}

var odataPunct = map[byte]tokKind{'(': tLParen, ')': tRParen, ',': tComma, '/': tSlash, ':': tColon}

// value scans a GUID, date, number or name at start.
func (l *odataLexer) value(start int) (token, bool) {
	c := l.src[start]
	if n := matchGUID(l.src[start:]); n > 0 {
		l.pos += n
		return l.tok(tGUID, start), true
	}
	if n, kind := matchISODate(l.src[start:]); n > 0 {
		l.pos += n
		return l.tok(kind, start), true
	}
	if isDigit(c) || (c == '-' && start+1 < len(l.src) && isDigit(l.src[start+1])) {
		l.pos = scanNumber(l.src, start)
		return l.tok(tNumber, start), true
	}
	if isIdentStart(c) || c == '$' {
		return l.name(), true
	}
	return token{}, false
}

// illegal makes the character at *pos an illegal token.
func illegal(src string, pos *int) token {
	start := *pos
	_, size := utf8.DecodeRuneInString(src[start:])
	*pos += size
	t := token{kind: tIllegal, text: src[start:*pos], start: start, end: *pos}
	t.err = "unexpected character " + quoteText(t.text)
	return t
}

// foreignOpChars make up the operators of other languages (= == != && ...).
const foreignOpChars = "=!&|<>"

// foreign scans a double-quoted string, which OData does not have, as one
// illegal token.
func (l *odataLexer) foreign(start int) token {
	end := strings.IndexByte(l.src[start+1:], '"')
	if end < 0 {
		l.pos = len(l.src)
	} else {
		l.pos = start + end + 2
	}
	t := l.tok(tIllegal, start)
	t.err = "double-quoted"
	return t
}

func (l *odataLexer) single(k tokKind) token {
	l.pos++
	return l.tok(k, l.pos-1)
}

func (l *odataLexer) tok(k tokKind, start int) token {
	return token{kind: k, text: l.src[start:l.pos], start: start, end: l.pos}
}

// name scans an identifier, a dotted name, or an enum literal Type'Value'.
func (l *odataLexer) name() token {
	start := l.pos
	l.pos = scanIdent(l.src, l.pos+1)
	kind := tIdent
	for l.pos+1 < len(l.src) && l.src[l.pos] == '.' && isIdentStart(l.src[l.pos+1]) {
		l.pos = scanIdent(l.src, l.pos+1)
		kind = tQualified
	}
	if kind == tQualified && l.pos < len(l.src) && l.src[l.pos] == '\'' {
		q := l.quoted()
		t := token{kind: tEnum, text: l.src[start:l.pos], start: start, end: l.pos, val: q.val, err: q.err}
		return t
	}
	return l.tok(kind, start)
}

// quoted scans a single-quoted string; two quotes in a row stand for one.
func (l *odataLexer) quoted() token {
	start := l.pos
	var b strings.Builder
	i := start + 1
	for i < len(l.src) {
		if l.src[i] == '\'' {
			if i+1 < len(l.src) && l.src[i+1] == '\'' {
				b.WriteByte('\'')
				i += 2
				continue
			}
			l.pos = i + 1
			t := l.tok(tString, start)
			t.val = b.String()
			return t
		}
		b.WriteByte(l.src[i])
		i++
	}
	l.pos = len(l.src)
	t := l.tok(tString, start)
	t.err = "unterminated string"
	return t
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
func isIdentChar(c byte) bool { return isIdentStart(c) || isDigit(c) }

func scanIdent(src string, i int) int {
	for i < len(src) && isIdentChar(src[i]) {
		i++
	}
	return i
}

// scanNumber scans -?digits[.digits][e[+-]digits] from start.
func scanNumber(src string, i int) int {
	if src[i] == '-' {
		i++
	}
	i = scanDigits(src, i)
	if i+1 < len(src) && src[i] == '.' && isDigit(src[i+1]) {
		i = scanDigits(src, i+1)
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDigit(src[j]) {
			i = scanDigits(src, j)
		}
	}
	return i
}

func scanDigits(src string, i int) int {
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	return i
}

// matchGUID returns 36 when s starts with a GUID not followed by a name
// character, else 0.
func matchGUID(s string) int {
	if len(s) < 36 {
		return 0
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return 0
			}
		default:
			if !isHex(s[i]) {
				return 0
			}
		}
	}
	if len(s) > 36 && (isIdentChar(s[36]) || s[36] == '-') {
		return 0
	}
	return 36
}

// matchISODate matches yyyy-mm-dd, optionally followed by
// Thh:mm[:ss[.fff]] and Z or ±hh:mm. It returns the length and tDate or
// tDateTime, or 0.
func matchISODate(s string) (int, tokKind) {
	if !digitsAt(s, 0, 4) || !byteAt(s, 4, '-') || !digitsAt(s, 5, 2) || !byteAt(s, 7, '-') || !digitsAt(s, 8, 2) {
		return 0, tEOF
	}
	if !byteAt(s, 10, 'T') {
		if len(s) > 10 && (isIdentChar(s[10]) || s[10] == '-' || s[10] == '.') {
			return 0, tEOF
		}
		return 10, tDate
	}
	if !digitsAt(s, 11, 2) || !byteAt(s, 13, ':') || !digitsAt(s, 14, 2) {
		return 0, tEOF
	}
	i := 16
	if byteAt(s, i, ':') && digitsAt(s, i+1, 2) {
		i += 3
		if byteAt(s, i, '.') && digitsAt(s, i+1, 1) {
			i = scanDigits(s, i+1)
		}
	}
	switch {
	case byteAt(s, i, 'Z'):
		i++
	case (byteAt(s, i, '+') || byteAt(s, i, '-')) && digitsAt(s, i+1, 2) && byteAt(s, i+3, ':') && digitsAt(s, i+4, 2):
		i += 6
	}
	if i < len(s) && isIdentChar(s[i]) {
		return 0, tEOF
	}
	return i, tDateTime
}

func digitsAt(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	for j := i; j < i+n; j++ {
		if !isDigit(s[j]) {
			return false
		}
	}
	return true
}

func byteAt(s string, i int, c byte) bool { return i < len(s) && s[i] == c }

func quoteText(s string) string { return "\"" + s + "\"" }
