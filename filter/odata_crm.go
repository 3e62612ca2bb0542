package filter

import (
	"strings"
)

// crmPrefix names the Dataverse query functions.
const crmPrefix = "Microsoft.Dynamics.CRM."

// setFunctions are the Dataverse query functions Web API mode evaluates: a
// column's value in (or between) a list of values.
var setFunctions = map[string]bool{"In": true, "NotIn": true, "Between": true, "NotBetween": true}

// setTest is Microsoft.Dynamics.CRM.In, NotIn, Between or NotBetween [D].
// The values are text; they are compared with the column's value as a
// comparison with a text literal is.
type setTest struct {
	fn         string // "In", "NotIn", "Between", "NotBetween"
	col        *column
	values     []*literal
	start, end int
}

func (n *setTest) span() (int, int) { return n.start, n.end }

// isSetFunction reports whether t names a query function Web API mode
// evaluates.
func (p *odataParser) isSetFunction(t token) bool {
	name, ok := strings.CutPrefix(t.text, crmPrefix)
	return ok && p.mode == modeWebAPI && setFunctions[name] && p.peek().kind == tLParen
}

// parseSetFunction parses
// Microsoft.Dynamics.CRM.In(PropertyName='col',PropertyValues=["a","b"]).
func (p *odataParser) parseSetFunction() item {
	t := p.advance()
	n := &setTest{fn: strings.TrimPrefix(t.text, crmPrefix), start: t.start}
	p.expect(tLParen, "( after "+t.text)
	p.parameter("PropertyName")
	name := p.cur()
	if name.kind != tString || name.err != "" || name.val == "" {
		p.unexpected(name, "the column name in single quotes")
	}
	p.advance()
	n.col = &column{name: name.val, start: name.start + 1, end: name.end - 1}
	p.expect(tComma, "a comma before PropertyValues")
	p.parameter("PropertyValues")
	p.punct("[")
	for {
		n.values = append(n.values, p.setValue())
		if p.cur().kind != tComma {
			break
		}
		p.advance()
	}
	p.punct("]")
	n.end = p.expect(tRParen, "a closing parenthesis").end
	if want := 2; (n.fn == "Between" || n.fn == "NotBetween") && len(n.values) != want {
		p.add(Error, n.start, n.end, n.fn+" needs two values", "Write PropertyValues=[\"low\",\"high\"].")
	}
	return item{b: n}
}

// parameter consumes "Name=".
func (p *odataParser) parameter(name string) {
	if t := p.cur(); t.kind != tIdent || t.text != name {
		p.unexpected(t, name)
	}
	p.advance()
	p.punct("=")
}

// punct consumes a character OData's own grammar has no token for.
func (p *odataParser) punct(text string) {
	if t := p.cur(); t.text != text {
		p.unexpected(t, quoteText(text))
	}
	p.advance()
}

// setValue parses one element of PropertyValues: a string in double or
// single quotes.
func (p *odataParser) setValue() *literal {
	t := p.cur()
	if t.text == "]" {
		p.fail(t, "Empty PropertyValues", "Give at least one value: PropertyValues=[\"a\"].")
	}
	l := &literal{kind: LitString, start: t.start, end: t.end}
	switch {
	case t.kind == tString && t.err == "":
		l.v = t.val
	case t.kind == tIllegal && t.err == "double-quoted" && len(t.text) >= 2 && strings.HasSuffix(t.text, `"`):
		l.v = t.text[1 : len(t.text)-1]
	default:
		p.unexpected(t, "a value in quotes")
	}
	p.advance()
	l.folded = foldString(l.v.(string))
	return l
}

func printSetTest(b *strings.Builder, n *setTest) {
	b.WriteString(crmPrefix + n.fn + "(PropertyName=" + odataLiteral(&literal{kind: LitString, v: n.col.name}) + ",PropertyValues=[")
	for i, v := range n.values {
		if i > 0 {
			b.WriteByte(',')
		}
		s := v.v.(string)
		if strings.Contains(s, `"`) {
			b.WriteString(odataLiteral(v))
		} else {
			b.WriteString(`"` + s + `"`)
		}
	}
	b.WriteString("])")
}

// setTest evaluates In/NotIn/Between/NotBetween; a NULL column is unknown.
func (ev *evaluator) setTest(n *setTest) (tri, error) {
	v, err := ev.value(n.col)
	if err != nil || v == nil {
		return triUnknown, err
	}
	col := side{v: v, col: n.col.name}
	cmps := make([]int, len(n.values))
	for i, lit := range n.values {
		if cmps[i], err = ev.order(col, side{v: lit.v, lit: lit}); err != nil {
			return triUnknown, err
		}
	}
	var in bool
	switch n.fn {
	case "In", "NotIn":
		for _, c := range cmps {
			in = in || c == 0
		}
	default:
		in = cmps[0] >= 0 && cmps[1] <= 0
	}
	return triOf(in == (n.fn == "In" || n.fn == "Between")), nil
}
