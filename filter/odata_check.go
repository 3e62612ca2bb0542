package filter

import (
	"strconv"
	"strings"
	"time"
)

func (p *odataParser) expect(k tokKind, want string) token {
	t := p.cur()
	if t.kind != k {
		p.unexpected(t, want)
	}
	return p.advance()
}

// comparison builds and checks "left op right".
func (p *odataParser) comparison(op cmpOp, opTok token, left, right item) node {
	for _, side := range []item{left, right} {
		if side.b != nil {
			start, end := side.b.span()
			p.add(Error, start, end, "A condition cannot be compared", "Compare a column with a value; combine conditions with and/or.")
			panic(bailout{})
		}
	}
	c := &compare{op: op, left: left.v, right: right.v}
	c.start, _ = left.v.span()
	_, c.end = right.v.span()
	_, lcol := left.v.(*column)
	_, rcol := right.v.(*column)
	if !lcol && !rcol {
		p.add(Error, c.start, c.end, "A comparison needs a column", "Compare one of the table's columns with a value.")
		return c
	}
	for _, side := range []operand{left.v, right.v} {
		if lit, ok := side.(*literal); ok {
			p.checkOperand(op, opTok, lit, c)
		}
	}
	return c
}

// checkOperand checks a literal against the operator it is used with.
func (p *odataParser) checkOperand(op cmpOp, opTok token, lit *literal, c *compare) {
	ordering := op != cmpEq && op != cmpNe
	switch {
	case ordering && lit.kind == LitNull:
		p.add(Error, opTok.start, opTok.end, "null compared with "+opTok.text, "Only eq null and ne null test for an empty column.")
	case ordering && lit.kind == LitBool:
		p.add(Error, opTok.start, opTok.end, "true/false compared with "+opTok.text, "Booleans support only eq and ne.")
	case ordering && lit.kind == LitEnum:
		p.add(Error, opTok.start, opTok.end, "Enum compared with "+opTok.text, "F&O OData supports only eq and ne on enums.")
	case !ordering && lit.kind == LitString && p.mode == modeFinOpsOData && strings.ContainsAny(lit.v.(string), "*"):
		c.pattern = wildcardPattern(lit.v.(string))
	}
}

// literal converts a literal token, or returns nil when t is not one.
func (p *odataParser) literal(t token) *literal {
	l := &literal{start: t.start, end: t.end}
	switch t.kind {
	case tString:
		if t.err != "" {
			p.unexpected(t, "")
		}
		l.kind, l.v, l.folded = LitString, t.val, foldString(t.val)
	case tNumber:
		p.number(t, l)
	case tGUID:
		l.kind, l.v = LitGUID, strings.ToLower(t.text)
	case tDate:
		d, err := time.Parse(time.DateOnly, t.text)
		if err != nil {
			p.fail(t, "Invalid date "+t.text, "Write a real date as yyyy-mm-dd.")
		}
		l.kind, l.v = LitDate, d
	case tDateTime:
		l.kind, l.v = LitDateTime, p.dateTime(t)
	case tEnum:
		if p.mode != modeFinOpsOData {
			p.fail(t, "Enum literal "+t.text+" is not supported", "Option sets are compared with their integer value, e.g. statecode eq 0.")
		}
		if t.err != "" {
			p.unexpected(t, "")
		}
		typ := t.text[:strings.IndexByte(t.text, '\'')]
		l.kind, l.v = LitEnum, enumValue{typ: typ, name: t.val}
	default:
		return nil
	}
	return l
}

func (p *odataParser) number(t token, l *literal) {
	if strings.ContainsAny(t.text, ".eE") {
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			p.fail(t, "Number out of range", "Write a smaller number.")
		}
		l.kind, l.v = LitDecimal, f
		return
	}
	i, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		p.fail(t, "Integer out of range", "Integers are 64-bit; write a smaller number.")
	}
	l.kind, l.v = LitInt, i
}

var dateTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04"}

func (p *odataParser) dateTime(t token) time.Time {
	for _, layout := range dateTimeLayouts {
		if v, err := time.Parse(layout, t.text); err == nil {
			return v
		}
	}
	p.fail(t, "Invalid date and time "+t.text, "Write an ISO 8601 date and time such as 2024-01-01T00:00:00Z.")
	return time.Time{}
}

// foldString is the form strings are compared in: case-folded, without the
// trailing spaces SQL Server ignores in comparisons.
func foldString(s string) string {
	return strings.ToLower(strings.TrimRight(s, " "))
}
