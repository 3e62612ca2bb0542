package filter

import (
	"fmt"
	"strings"
)

type odataMode int

const (
	modeDualWrite odataMode = iota + 1
	modeWebAPI
	modeFinOpsOData
)

func (m odataMode) lang() Lang {
	if m == modeFinOpsOData {
		return FinOpsOData
	}
	return Dataverse
}

// bailout stops a parse at its first syntax error.
type bailout struct{}

// item is what a parse step yields: a condition (b) or a value (v).
type item struct {
	b node
	v operand
}

func (it item) span() (int, int) {
	if it.b != nil {
		return it.b.span()
	}
	return it.v.span()
}

// odataParser parses the OData $filter dialects.
type odataParser struct {
	src   string
	mode  odataMode
	toks  []token
	i     int
	diags []Diagnostic
	// fixes are canonical rewrites some warnings need once the tree exists.
	fixes []int
	// depth counts the open parentheses and negations, to bound recursion.
	depth int
}

// maxDepth bounds nesting so that no input can exhaust the stack.
const maxDepth = 500

// nest enters one level of nesting at t, failing past maxDepth.
func (p *odataParser) nest(t token) {
	p.depth++
	if p.depth > maxDepth {
		p.fail(t, "Filter nested too deeply", fmt.Sprintf("Use at most %d levels of parentheses and negations.", maxDepth))
	}
}

func parseOData(src string, mode odataMode) (Expr, []Diagnostic) {
	p := &odataParser{src: src, mode: mode}
	lx := odataLexer{src: src}
	for {
		t := lx.next()
		p.toks = append(p.toks, t)
		if t.kind == tEOF {
			break
		}
	}
	root := p.parseRoot()
	return p.finish(root, func(n node) Expr { return &odataExpr{mode: mode, root: n} })
}

// finish builds the Expr unless there are errors, fills in the canonical
// rewrites and orders the diagnostics.
func (p *odataParser) finish(root node, build func(node) Expr) (Expr, []Diagnostic) {
	if root == nil || HasErrors(p.diags) {
		sortDiagnostics(p.diags)
		return nil, p.diags
	}
	e := build(root)
	canon := e.String()
	for _, i := range p.fixes {
		p.diags[i].Rewrite = canon
	}
	sortDiagnostics(p.diags)
	return e, p.diags
}

func (p *odataParser) parseRoot() (root node) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			root = nil
		}
	}()
	if p.cur().kind == tEOF {
		p.fail(p.cur(), "Empty filter", "Write a condition such as statecode eq 0, or remove the filter.")
	}
	it := p.parseOr()
	if t := p.cur(); t.kind != tEOF {
		p.unexpected(t, "the end of the filter or and/or")
	}
	return p.asCondition(it)
}

func (p *odataParser) cur() token  { return p.toks[p.i] }
func (p *odataParser) peek() token { return p.toks[min(p.i+1, len(p.toks)-1)] }
func (p *odataParser) advance() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *odataParser) add(sev Severity, start, end int, summary, detail string) {
	p.diags = append(p.diags, Diagnostic{Severity: sev, Start: start, End: end, Summary: summary, Detail: detail})
}

// fail records an error at t and stops the parse.
func (p *odataParser) fail(t token, summary, detail string) {
	p.add(Error, t.start, t.end, summary, detail)
	panic(bailout{})
}

func (p *odataParser) unexpected(t token, want string) {
	switch {
	case t.kind == tEOF:
		p.fail(t, "Unexpected end of filter", "Expected "+want+".")
	case t.kind == tIllegal && t.err == "operator":
		hint, ok := odataOperatorHints[t.text]
		if !ok {
			hint = "an OData operator: eq ne gt ge lt le, and or not"
		}
		p.fail(t, quoteText(t.text)+" is not an OData operator", "Write "+hint+".")
	case t.kind == tIllegal && t.err == "isodate":
		p.fail(t, "Date "+t.text+" is not an X++ date", `Write dates as dd\mm\yyyy, e.g. `+t.text[8:10]+`\`+t.text[5:7]+`\`+t.text[:4]+`.`)
	case t.kind == tIllegal && t.err == "double-quoted":
		p.fail(t, "Text in double quotes", "OData strings are in single quotes: 'text' (a quote inside is written twice).")
	case t.kind == tIllegal:
		p.fail(t, "Invalid character "+quoteText(t.text), "Remove it; expected "+want+".")
	case t.err != "":
		p.fail(t, "Unterminated string", "Close the string with a single quote; a quote inside a string is written twice ('O''Bryan').")
	}
	p.fail(t, "Unexpected "+quoteText(t.text), "Expected "+want+".")
}

// odataOperatorHints name the OData operator for operators of other languages.
var odataOperatorHints = map[string]string{
	"=": "eq", "==": "eq", "!=": "ne", "<>": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge",
	"&&": "and", "&": "and", "||": "or", "|": "or", "!": "not",
}

// keyword returns the lowercased keyword t spells, warning when it is not
// written in lowercase as OData requires.
func (p *odataParser) keyword(t token, words ...string) string {
	if t.kind != tIdent {
		return ""
	}
	for _, w := range words {
		if t.text == w {
			return w
		}
		if strings.EqualFold(t.text, w) {
			p.add(Warning, t.start, t.end, quoteText(t.text)+" is not lowercase",
				"OData keywords are lowercase; write "+w+".")
			p.fixes = append(p.fixes, len(p.diags)-1)
			return w
		}
	}
	return ""
}

func (p *odataParser) parseOr() item {
	left := p.parseAnd()
	for p.keyword(p.cur(), "or") != "" {
		p.advance()
		right := p.parseAnd()
		left = item{b: p.join(opOr, left, right)}
	}
	return left
}

func (p *odataParser) parseAnd() item {
	left := p.parseComparison()
	for p.keyword(p.cur(), "and") != "" {
		p.advance()
		right := p.parseComparison()
		left = item{b: p.join(opAnd, left, right)}
	}
	return left
}

// join builds an and/or of two conditions, flattening same-op operands.
func (p *odataParser) join(op logicalOp, a, b item) node {
	l, r := p.asCondition(a), p.asCondition(b)
	return joinLogical(op, l, r)
}

// joinLogical joins l and r with op, flattening operands of the same op. A
// left operand of the same op is extended in place (the parser owns it), so
// a chain of n clauses is built in O(n).
func joinLogical(op logicalOp, l, r node) node {
	out, ok := l.(*logical)
	if !ok || out.op != op {
		out = &logical{op: op, operands: []node{l}}
		out.start, _ = l.span()
	}
	if x, ok := r.(*logical); ok && x.op == op {
		out.operands = append(out.operands, x.operands...)
	} else {
		out.operands = append(out.operands, r)
	}
	_, out.end = r.span()
	return out
}

// asCondition requires it to be a condition, not a bare value.
func (p *odataParser) asCondition(it item) node {
	if it.b != nil {
		return it.b
	}
	start, end := it.v.span()
	text := p.src[start:end]
	hint := "Compare it with a value, e.g. " + text + " eq true."
	if p.mode == 0 {
		hint = "Compare it with a value, e.g. (" + text + " == 1)."
	}
	if _, ok := it.v.(*literal); ok {
		hint = "A constant on its own is not a condition; compare a column with it."
	}
	p.add(Error, start, end, "Not a condition: "+quoteText(text), hint)
	panic(bailout{})
}

var comparisonOps = map[string]cmpOp{"eq": cmpEq, "ne": cmpNe, "gt": cmpGt, "ge": cmpGe, "lt": cmpLt, "le": cmpLe}

func (p *odataParser) parseComparison() item {
	left := p.parseUnary()
	t := p.cur()
	w := p.keyword(t, "eq", "ne", "gt", "ge", "lt", "le", "in", "has", "add", "sub", "mul", "div", "divby", "mod")
	switch w {
	case "":
		return left
	case "in":
		p.fail(t, "The in operator is not supported", "Dataverse filters do not support in; write (col eq 'a' or col eq 'b').")
	case "has":
		p.fail(t, "The has operator is not supported", "has applies to flag enums, which Dataverse filters do not support; compare the column with eq.")
	case "add", "sub", "mul", "div", "divby", "mod":
		p.fail(t, "Arithmetic operator "+quoteText(t.text)+" is not supported", "Filters compare a column with a constant; compute the constant first.")
	}
	p.advance()
	right := p.parseUnary()
	return item{b: p.comparison(comparisonOps[w], t, left, right)}
}

func (p *odataParser) parseUnary() item {
	t := p.cur()
	if p.keyword(t, "not") == "" || p.peek().kind == tSlash {
		return p.parsePrimary()
	}
	p.nest(t)
	p.advance()
	x := p.parseUnary()
	p.depth--
	if x.b == nil {
		start, _ := x.span()
		next := p.cur()
		if _, isOp := comparisonOps[strings.ToLower(next.text)]; isOp && next.kind == tIdent {
			p.add(Error, t.start, t.end, "not applies to the next value only",
				"not binds tighter than "+next.text+"; write not ("+p.src[start:p.restEnd()]+").")
			panic(bailout{})
		}
		p.asCondition(x)
	}
	_, end := x.b.span()
	return item{b: &notNode{x: x.b, start: t.start, end: end}}
}

// restEnd is the end of the comparison that starts at the current token, for
// hints: the end of the token after the operator.
func (p *odataParser) restEnd() int {
	j := min(p.i+1, len(p.toks)-1)
	if p.toks[j].kind == tEOF {
		return p.toks[p.i].end
	}
	return p.toks[j].end
}

func (p *odataParser) parsePrimary() item {
	t := p.cur()
	switch t.kind {
	case tLParen:
		p.nest(t)
		p.advance()
		it := p.parseOr()
		p.closeParen(t)
		p.depth--
		return it
	case tIdent:
		return p.parseName()
	case tQualified:
		return p.parseQualified()
	case tAlias:
		p.fail(t, "Parameter alias "+quoteText(t.text)+" is not supported", "Write the value in the filter itself.")
	}
	if lit := p.literal(t); lit != nil {
		p.advance()
		return item{v: lit}
	}
	p.unexpected(t, "a column, a value or a condition")
	return item{}
}

// closeParen consumes the ")" closing open, or fails: at open when the
// input ends, else at the unexpected token.
func (p *odataParser) closeParen(open token) {
	switch t := p.cur(); t.kind {
	case tRParen:
		p.advance()
	case tEOF:
		p.fail(open, "Unclosed parenthesis", "Add the ) that closes this (.")
	default:
		p.unexpected(t, "a closing parenthesis")
	}
}
