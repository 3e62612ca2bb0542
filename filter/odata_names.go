package filter

import "strings"

// stringFunctions are the OData functions Dataverse supports in $filter.
var stringFunctions = map[string]bool{"contains": true, "startswith": true, "endswith": true}

// parseCall parses name(args...).
func (p *odataParser) parseCall() item {
	t := p.cur()
	fn := strings.ToLower(t.text)
	if !stringFunctions[fn] {
		p.advance()
		end := p.skipParens()
		p.add(Error, t.start, end, "Function "+t.text+"() is not supported",
			"Dataverse filters support only contains, startswith and endswith.")
		panic(bailout{})
	}
	if p.mode == modeFinOpsOData {
		p.fail(t, "Function "+t.text+"() is not supported by F&O OData",
			"Write a wildcard equality instead, e.g. Name eq '*text*'.")
	}
	if fn != t.text {
		p.add(Warning, t.start, t.end, "Function "+quoteText(t.text)+" is not lowercase", "OData function names are lowercase; write "+fn+".")
		p.fixes = append(p.fixes, len(p.diags)-1)
	}
	p.advance()
	p.expect(tLParen, "( after "+fn)
	first := p.parseOr()
	p.expect(tComma, "a comma between the column and the text")
	second := p.parseOr()
	end := p.expect(tRParen, "a closing parenthesis after the text").end
	col, ok := first.v.(*column)
	if !ok {
		start, e := first.span()
		p.add(Error, start, e, fn+"() needs a column first", "Write "+fn+"(column, 'text').")
		panic(bailout{})
	}
	lit, ok := second.v.(*literal)
	if !ok || lit.kind != LitString {
		start, e := second.span()
		p.add(Error, start, e, fn+"() needs a text in quotes second", "Write "+fn+"(column, 'text').")
		panic(bailout{})
	}
	p.checkWildcards(fn, lit)
	c := &call{fn: fn, col: col, arg: lit, start: t.start, end: end}
	c.pattern = likePattern(fn, lit.v.(string))
	return item{b: c}
}

// checkWildcards rejects the LIKE wildcard patterns Dataverse does not
// support: a leading % in startswith, a trailing % in endswith.
func (p *odataParser) checkWildcards(fn string, lit *literal) {
	s := lit.v.(string)
	switch {
	case fn == "startswith" && strings.HasPrefix(s, "%"):
		p.add(Error, lit.start, lit.end, "Leading wildcard in startswith()",
			"startswith does not support a leading %; use contains(column, '"+strings.TrimLeft(s, "%")+"').")
	case fn == "endswith" && strings.HasSuffix(s, "%"):
		p.add(Error, lit.start, lit.end, "Trailing wildcard in endswith()",
			"endswith does not support a trailing %; use contains(column, '"+strings.TrimRight(s, "%")+"').")
	}
}

// parseName parses what starts with a name: a keyword literal, a function
// call, a navigation path or a column.
func (p *odataParser) parseName() item {
	t := p.cur()
	switch p.keyword(t, "true", "false", "null") {
	case "true", "false":
		p.advance()
		return item{v: &literal{kind: LitBool, v: strings.EqualFold(t.text, "true"), start: t.start, end: t.end}}
	case "null":
		p.advance()
		return item{v: &literal{kind: LitNull, start: t.start, end: t.end}}
	}
	if strings.HasPrefix(t.text, "$") {
		p.fail(t, quoteText(t.text)+" is not supported", "Name the table's columns directly.")
	}
	switch p.peek().kind {
	case tLParen:
		return p.parseCall()
	case tSlash:
		return item{v: p.parsePath()}
	}
	p.advance()
	p.checkColumnCase(t)
	return item{v: &column{name: t.text, start: t.start, end: t.end}}
}

// checkColumnCase warns about capitals in a dual-write column name: Dataverse
// logical names are lowercase and the Web API matches them exactly.
func (p *odataParser) checkColumnCase(t token) {
	if p.mode != modeDualWrite || strings.ToLower(t.text) == t.text {
		return
	}
	p.add(Warning, t.start, t.end, "Column name "+quoteText(t.text)+" is not lowercase",
		"Dataverse column logical names are lowercase and matched exactly; write "+strings.ToLower(t.text)+" unless the column really has capitals.")
}

// parsePath parses lookup/column paths, rejecting lambda operators always and
// navigation paths outside Web API mode.
func (p *odataParser) parsePath() operand {
	first := p.cur()
	segs := []string{p.advance().text}
	for p.cur().kind == tSlash {
		p.advance()
		seg := p.cur()
		if seg.kind != tIdent {
			p.unexpected(seg, "a column name after /")
		}
		p.advance()
		if (seg.text == "any" || seg.text == "all") && p.cur().kind == tLParen {
			end := p.skipParens()
			p.add(Error, first.start, end, "Lambda operator "+seg.text+" is not supported",
				"Dual-write filters apply to the table's own columns; "+seg.text+"() over related rows cannot be used.")
			panic(bailout{})
		}
		segs = append(segs, seg.text)
	}
	end := p.toks[p.i-1].end
	name := strings.Join(segs, "/")
	switch p.mode {
	case modeDualWrite:
		p.add(Error, first.start, end, "Navigation path "+quoteText(name)+" in a dual-write filter",
			"Dual-write does not support nested lookups: filter on the table's own columns, e.g. a lookup's _"+segs[0]+"_value compared with the related row's GUID.")
	case modeFinOpsOData:
		p.add(Error, first.start, end, "Navigation path "+quoteText(name)+" is not supported",
			"Filter on the entity's own fields.")
	}
	return &column{name: name, start: first.start, end: end}
}

// skipParens skips from the current "(" past its matching ")" and returns
// the end offset of what was skipped.
func (p *odataParser) skipParens() int {
	depth := 0
	for {
		t := p.advance()
		switch t.kind {
		case tLParen:
			depth++
		case tRParen:
			depth--
			if depth == 0 {
				return t.end
			}
		case tEOF:
			return t.end
		}
	}
}

// parseQualified rejects dotted names: the Dataverse query functions
// (Microsoft.Dynamics.CRM.In(...)) and namespaced names.
func (p *odataParser) parseQualified() item {
	t := p.cur()
	if p.isSetFunction(t) {
		return p.parseSetFunction()
	}
	if p.peek().kind == tLParen {
		p.advance()
		end := p.skipParens()
		p.add(Error, t.start, end, "Query function "+t.text+" is not supported",
			p.queryFunctionHint())
		panic(bailout{})
	}
	p.fail(t, "Unexpected name "+quoteText(t.text), "Columns are named without a namespace.")
	return item{}
}

func (p *odataParser) queryFunctionHint() string {
	if p.mode == modeWebAPI {
		return "dwctl evaluates only the query functions In, NotIn, Between and NotBetween; rewrite the condition with them or with eq ne gt ge lt le, and/or/not and contains/startswith/endswith."
	}
	return "Dual-write filters support the standard operators eq ne gt ge lt le, and/or/not and contains/startswith/endswith; rewrite the condition with them."
}
