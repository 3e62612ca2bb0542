package filter

import (
	"strings"
)

// fitem is an X++ parse result with the number of parentheses around it.
type fitem struct {
	item
	parens int
}

// finopsParser parses X++ query-range expressions.
type finopsParser struct {
	odataParser // token cursor and diagnostics; mode unused
}

func parseFinOps(src string) (Expr, []Diagnostic) {
	p := &finopsParser{odataParser{src: src}}
	lx := finopsLexer{src: src}
	for {
		t := lx.next()
		p.toks = append(p.toks, t)
		if t.kind == tEOF {
			break
		}
	}
	root := p.parseRoot()
	return p.finish(root, func(n node) Expr { return &finopsExpr{root: n} })
}

func (p *finopsParser) parseRoot() (root node) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			root = nil
		}
	}()
	if p.cur().kind == tEOF {
		p.fail(p.cur(), "Empty filter", "Write a condition such as ((PartyType == \"Organization\")), or remove the filter.")
	}
	it := p.parseOr()
	if t := p.cur(); t.kind != tEOF {
		if t.kind == tRParen {
			p.fail(t, "Unbalanced parenthesis", "Remove this ) or add the ( it closes.")
		}
		p.unexpected(t, "the end of the filter, && or ||")
	}
	root = p.asCondition(it.item)
	if it.parens == 0 {
		start, end := p.toks[0].start, p.toks[len(p.toks)-2].end
		p.fix(start, end, "Missing outer parentheses",
			"The documented form wraps the whole expression in one more pair of parentheses; Microsoft publishes some filters without them, which is accepted.")
	}
	return root
}

// fix adds a warning whose Rewrite is the canonical form.
func (p *finopsParser) fix(start, end int, summary, detail string) {
	p.add(Warning, start, end, summary, detail)
	p.fixes = append(p.fixes, len(p.diags)-1)
}

// isOp reports whether t is the operator text.
func isOp(t token, text string) bool { return t.kind == tOp && t.text == text }

func (p *finopsParser) parseOr() fitem { return p.parseLogical(opOr, "||") }

func (p *finopsParser) parseAnd() fitem { return p.parseLogical(opAnd, "&&") }

// parseLogical parses operands joined by op (|| over &&), warning about
// operands without their own parentheses.
func (p *finopsParser) parseLogical(op logicalOp, text string) fitem {
	next := p.parseAnd
	if op == opAnd {
		next = p.parseComparison
	}
	first := next()
	if !isOp(p.cur(), text) {
		return first
	}
	operands := []fitem{first}
	for isOp(p.cur(), text) {
		p.advance()
		operands = append(operands, next())
	}
	var n node
	for _, o := range operands {
		c := p.asCondition(o.item)
		if o.parens == 0 {
			start, end := c.span()
			p.fix(start, end, "Sub-expression without parentheses",
				"F&O query ranges put every sub-expression in its own parentheses.")
		}
		if n == nil {
			n = c
		} else {
			n = joinLogical(op, n, c)
		}
	}
	return fitem{item: item{b: n}}
}

var finopsCmpOps = map[string]cmpOp{"==": cmpEq, "=": cmpEq, "!=": cmpNe, "<": cmpLt, "<=": cmpLe, ">": cmpGt, ">=": cmpGe}

func (p *finopsParser) parseComparison() fitem {
	left := p.parseUnary()
	t := p.cur()
	op, ok := finopsCmpOps[t.text]
	isLike := t.kind == tIdent && strings.EqualFold(t.text, "like")
	if (!ok || t.kind != tOp) && !isLike {
		p.checkOperator(t)
		return left
	}
	p.advance()
	if t.text == "=" {
		p.fix(t.start, t.end, "Single = in a comparison", "X++ compares with ==; a single = is accepted here but is not the documented form.")
	}
	if isLike {
		op = cmpLike
	}
	right := p.parseUnary()
	return fitem{item: item{b: p.comparison(op, t, left.item, right.item)}}
}

// checkOperator explains operators of other languages found where an X++
// operator or the end of a sub-expression belongs.
func (p *finopsParser) checkOperator(t token) {
	switch {
	case isOp(t, "<>"):
		p.fail(t, "<> is not an X++ operator", "Write != for not equal.")
	case isOp(t, "&"), isOp(t, "|"):
		p.fail(t, "Single "+t.text+" is not a logical operator", "Write "+t.text+t.text+".")
	case t.kind != tIdent:
		return
	}
	switch strings.ToLower(t.text) {
	case "and":
		p.fail(t, "and is not an X++ operator", "Write && between parenthesised sub-expressions.")
	case "or":
		p.fail(t, "or is not an X++ operator", "Write || between parenthesised sub-expressions.")
	case "eq", "ne", "gt", "ge", "lt", "le":
		p.fail(t, t.text+" is an OData operator", "F&O filters use X++ operators: == != > >= < <=.")
	}
}

func (p *finopsParser) parseUnary() fitem {
	t := p.cur()
	if !isOp(t, "!") {
		return p.parsePrimary()
	}
	p.nest(t)
	p.advance()
	x := p.parseUnary()
	p.depth--
	if x.b == nil {
		p.fail(t, "! applies to the next value only", "Negate a parenthesised condition: (!(Field == value)).")
	}
	_, end := x.b.span()
	return fitem{item: item{b: &notNode{x: x.b, start: t.start, end: end}}}
}

func (p *finopsParser) parsePrimary() fitem {
	t := p.cur()
	switch t.kind {
	case tLParen:
		p.nest(t)
		p.advance()
		it := p.parseOr()
		p.closeParen(t)
		p.depth--
		it.parens++
		return it
	case tIdent, tQualified:
		return p.parseName()
	case tString:
		if t.text[0] == '\'' && t.err == "" {
			p.fix(t.start, t.end, "String in single quotes", "F&O filters write strings in double quotes.")
		}
	case tOp:
		p.fail(t, "Unexpected "+quoteText(t.text), "Expected a field, a value or a parenthesised condition.")
	}
	if lit := p.finopsLiteral(t); lit != nil {
		p.advance()
		return fitem{item: item{v: lit}}
	}
	p.unexpected(t, "a field, a value or a parenthesised condition")
	return fitem{}
}

func (p *finopsParser) parseName() fitem {
	t := p.cur()
	if p.peek().kind == tLParen {
		p.advance()
		end := p.skipParens()
		p.add(Error, t.start, end, "Method call "+t.text+"() is not supported",
			"Dual-write filters compare fields with constants; compute the value and write it as a constant.")
		panic(bailout{})
	}
	p.advance()
	switch strings.ToLower(t.text) {
	case "true", "false":
		return fitem{item: item{v: &literal{kind: LitBool, v: strings.EqualFold(t.text, "true"), start: t.start, end: t.end}}}
	case "null":
		p.fail(t, "null is not an X++ value", "F&O text fields are empty (\"\") rather than null; compare with \"\".")
	}
	return fitem{item: item{v: &column{name: t.text, start: t.start, end: t.end}}}
}
