package filter

import (
	"strings"
)

// finopsLexer splits an X++ query-range expression into tokens.
type finopsLexer struct {
	src string
	pos int
}

// finopsOps are the operator spellings, longest first.
var finopsOps = []string{"==", "!=", "<=", ">=", "<>", "&&", "||", "=", "<", ">", "!", "&", "|"}

func (l *finopsLexer) next() token {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tEOF, start: start, end: start}
	}
	switch c := l.src[start]; c {
	case '(':
		return l.single(tLParen)
	case ')':
		return l.single(tRParen)
	case ',':
		return l.single(tComma)
	case '"', '\'':
		return l.quoted(c)
	}
	for _, op := range finopsOps {
		if strings.HasPrefix(l.src[start:], op) {
			l.pos += len(op)
			return l.tok(tOp, start)
		}
	}
	if t, ok := l.value(start); ok {
		return t
	}
	return illegal(l.src, &l.pos)
}

// value scans a date, number or name at start.
func (l *finopsLexer) value(start int) (token, bool) {
	c := l.src[start]
	if n, kind := matchISODate(l.src[start:]); n > 0 {
		l.pos += n
		t := l.tok(kind, start)
		if kind == tDate {
			t.kind, t.err = tIllegal, "isodate"
		}
		return t, true
	}
	if n := matchXppDate(l.src[start:]); n > 0 {
		l.pos += n
		return l.tok(tDate, start), true
	}
	if isDigit(c) || (c == '-' && start+1 < len(l.src) && isDigit(l.src[start+1])) {
		l.pos = scanNumber(l.src, start)
		return l.tok(tNumber, start), true
	}
	if isIdentStart(c) {
		return l.name(), true
	}
	return token{}, false
}

func (l *finopsLexer) single(k tokKind) token {
	l.pos++
	return l.tok(k, l.pos-1)
}

func (l *finopsLexer) tok(k tokKind, start int) token {
	return token{kind: k, text: l.src[start:l.pos], start: start, end: l.pos}
}

// name scans a field, dataSource.field, or an enum literal Type::Value.
func (l *finopsLexer) name() token {
	start := l.pos
	l.pos = scanIdent(l.src, l.pos+1)
	if strings.HasPrefix(l.src[l.pos:], "::") && l.pos+2 < len(l.src) && isIdentStart(l.src[l.pos+2]) {
		l.pos = scanIdent(l.src, l.pos+3)
		return l.tok(tEnum, start)
	}
	kind := tIdent
	for l.pos+1 < len(l.src) && l.src[l.pos] == '.' && isIdentStart(l.src[l.pos+1]) {
		l.pos = scanIdent(l.src, l.pos+1)
		kind = tQualified
	}
	return l.tok(kind, start)
}

// quoted scans a string in quote q; a backslash escapes the next character
// [I: X++ string literal rules].
func (l *finopsLexer) quoted(q byte) token {
	start := l.pos
	var b strings.Builder
	i := start + 1
	for i < len(l.src) {
		switch l.src[i] {
		case '\\':
			if i+1 < len(l.src) {
				b.WriteByte(l.src[i+1])
				i += 2
				continue
			}
		case q:
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

// matchXppDate matches an X++ date literal d\m\yyyy (day and month of one or
// two digits) not followed by a name character.
func matchXppDate(s string) int {
	i := 0
	for _, width := range []int{2, 2} {
		n := scanDigits(s, i) - i
		if n < 1 || n > width || !byteAt(s, i+n, '\\') {
			return 0
		}
		i += n + 1
	}
	if !digitsAt(s, i, 4) {
		return 0
	}
	i += 4
	if i < len(s) && (isIdentChar(s[i]) || s[i] == '\\') {
		return 0
	}
	return i
}
