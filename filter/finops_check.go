package filter

import (
	"strings"
	"time"
)

// comparison builds and checks an X++ comparison.
func (p *finopsParser) comparison(op cmpOp, opTok token, left, right item) node {
	for _, s := range []item{left, right} {
		if s.b != nil {
			start, end := s.b.span()
			p.add(Error, start, end, "A condition cannot be compared",
				"Compare a field with a value; combine conditions with && and ||.")
			panic(bailout{})
		}
	}
	c := &compare{op: op, left: left.v, right: right.v}
	c.start, _ = left.v.span()
	_, c.end = right.v.span()
	lcol, lIsCol := left.v.(*column)
	_, rIsCol := right.v.(*column)
	if !lIsCol && !rIsCol {
		p.add(Error, c.start, c.end, "A comparison needs a field", "Compare one of the entity's fields with a value.")
		return c
	}
	if op == cmpLike {
		p.checkLike(opTok, c, lIsCol)
		return c
	}
	lit, _ := right.v.(*literal)
	if lIsCol && lit != nil && lit.kind == LitString && lit.v == "" && op == cmpEq {
		p.add(Warning, c.start, c.end, "Comparison with \"\" does not match NULL",
			"Rows where "+lcol.name+" is NULL (an outer-joined or computed field) are not matched: NULL is not \"\". "+
				"If such rows must pass, add a computed column that turns NULL into \"\" and filter on it.")
	}
	for _, side := range []operand{left.v, right.v} {
		if l, ok := side.(*literal); ok && l.kind == LitBool && op != cmpEq && op != cmpNe {
			p.add(Error, opTok.start, opTok.end, "true/false compared with "+opTok.text, "Booleans support only == and !=.")
		}
	}
	return c
}

// checkLike requires "field like \"pattern\"" and compiles the pattern.
func (p *finopsParser) checkLike(opTok token, c *compare, leftIsColumn bool) {
	lit, ok := c.right.(*literal)
	if !leftIsColumn || !ok || lit.kind != LitString {
		p.add(Error, c.start, c.end, "like needs a field and a text pattern", "Write (Field like \"A*\"): * matches any text, ? one character.")
		return
	}
	c.pattern = wildcardPattern(lit.v.(string))
}

// finopsLiteral converts a literal token, or returns nil when t is not one.
func (p *finopsParser) finopsLiteral(t token) *literal {
	l := &literal{start: t.start, end: t.end}
	switch t.kind {
	case tString:
		if t.err != "" {
			p.fail(t, "Unterminated string", "Close the string with a double quote; write \\\" for a quote inside it.")
		}
		l.kind, l.v, l.folded = LitString, t.val, foldString(t.val)
	case tNumber:
		p.number(t, l)
	case tDate:
		d, err := time.Parse(`2\1\2006`, t.text)
		if err != nil {
			p.fail(t, "Invalid date "+t.text, `Write a real date as dd\mm\yyyy, e.g. 23\06\2021.`)
		}
		l.kind, l.v = LitDate, d
	case tDateTime:
		l.kind, l.v = LitDateTime, p.dateTime(t)
	case tEnum:
		typ, name, _ := strings.Cut(t.text, "::")
		l.kind, l.v = LitEnum, enumValue{typ: typ, name: name}
	default:
		return nil
	}
	return l
}
