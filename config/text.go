package config

import (
	"strconv"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// text evaluates a string attribute and records where each byte of the
// value came from in the source, so diagnostics about characters inside
// the string (filters, number formats) can point at them.
func (s *scope) text(attr *hcl.Attribute) (*Text, bool) {
	v, ok := s.str(attr)
	if !ok {
		return nil, false
	}
	t := &Text{Value: v, Range: attr.Expr.Range(), File: attr.Expr.Range().Filename}
	if src, found := s.l.cfg.Sources[t.File]; found {
		t.Offsets = s.offsets(src, attr.Expr, v)
	}
	return t, true
}

// SourceRange returns the source range of the value bytes [start, end),
// falling back to the whole expression when the mapping is unknown.
func (t *Text) SourceRange(src []byte, start, end int) hcl.Range {
	if t.Offsets == nil || start < 0 || end > len(t.Value) || start > end || start >= len(t.Offsets) && start > 0 {
		return t.Range
	}
	if len(t.Offsets) == 0 {
		return t.Range
	}
	if start == len(t.Offsets) {
		start = len(t.Offsets) - 1
	}
	from := t.Offsets[start]
	to := t.valueEnd(src)
	if end < len(t.Offsets) {
		to = t.Offsets[end]
	}
	if end <= start {
		to = from
	}
	if to < from {
		to = from
	}
	return hcl.Range{Filename: t.File, Start: posAt(src, from), End: posAt(src, to)}
}

// valueEnd is the source offset just after the last value byte.
func (t *Text) valueEnd(src []byte) int {
	last := t.Offsets[len(t.Offsets)-1]
	end := t.Range.End.Byte
	if end > 0 && end <= len(src) && src[end-1] == '"' {
		return end - 1
	}
	_, w := escapeAt(src[last:min(len(src), last+10)])
	return last + w
}

// offsets maps each byte of value to a source byte offset, or nil when the
// expression is not a template whose parts can be followed.
func (s *scope) offsets(src []byte, expr hcl.Expression, value string) []int {
	var parts []hclsyntax.Expression
	switch e := expr.(type) {
	case *hclsyntax.TemplateExpr:
		parts = e.Parts
	case *hclsyntax.TemplateWrapExpr:
		parts = []hclsyntax.Expression{e.Wrapped}
	default:
		return nil
	}
	var out []int
	for _, p := range parts {
		lit, isLit := p.(*hclsyntax.LiteralValueExpr)
		if isLit && lit.Val.Type() == cty.String {
			m := literalOffsets(src, lit.SrcRange, lit.Val.AsString())
			if m == nil {
				return nil
			}
			out = append(out, m...)
			continue
		}
		pv, diags := p.Value(s.ctx)
		if diags.HasErrors() {
			return nil
		}
		pv, _ = pv.UnmarkDeep()
		sv, err := convert.Convert(pv, cty.String)
		if err != nil || sv.IsNull() || !sv.IsKnown() {
			return nil
		}
		at := interpolationStart(src, p.Range().Start.Byte)
		for range len(sv.AsString()) {
			out = append(out, at)
		}
	}
	if len(out) != len(value) {
		return nil
	}
	return out
}

// interpolationStart returns the offset of the "${" that opens the
// interpolation whose expression starts at off.
func interpolationStart(src []byte, off int) int {
	i := off - 1
	for i >= 0 && (src[i] == ' ' || src[i] == '\t' || src[i] == '~') {
		i--
	}
	if i >= 1 && src[i] == '{' && src[i-1] == '$' {
		return i - 1
	}
	return off
}

// literalOffsets follows HCL's escapes through one literal part of a
// template: raw is the source of the part, decoded its value.
func literalOffsets(src []byte, rng hcl.Range, decoded string) []int {
	if rng.End.Byte > len(src) || rng.Start.Byte > rng.End.Byte {
		return nil
	}
	raw := src[rng.Start.Byte:rng.End.Byte]
	out := make([]int, 0, len(decoded))
	i := 0
	for i < len(raw) && len(out) < len(decoded) {
		n, width := escapeAt(raw[i:])
		for range n {
			out = append(out, rng.Start.Byte+i)
		}
		i += width
	}
	if len(out) != len(decoded) {
		return nil
	}
	return out
}

// escapeAt returns how many decoded bytes the source at b produces and how
// many source bytes it spans.
func escapeAt(b []byte) (decoded, width int) {
	switch {
	case len(b) >= 3 && (string(b[:3]) == "$${" || string(b[:3]) == "%%{"):
		return 2, 3
	case b[0] != '\\' || len(b) < 2:
		return 1, 1
	}
	switch b[1] {
	case 'u', 'U':
		digits := 4
		if b[1] == 'U' {
			digits = 8
		}
		if len(b) < 2+digits {
			return 1, 1
		}
		r, err := strconv.ParseUint(string(b[2:2+digits]), 16, 32)
		if err != nil {
			return 1, 1
		}
		return utf8.RuneLen(rune(r)), 2 + digits
	default:
		return 1, 2
	}
}

// posAt returns the line/column position of a byte offset; columns count
// characters, as HCL's do.
func posAt(src []byte, off int) hcl.Pos {
	pos := hcl.Pos{Line: 1, Column: 1}
	for i := 0; i < off && i < len(src); {
		r, w := utf8.DecodeRune(src[i:])
		if r == '\n' {
			pos.Line++
			pos.Column = 1
		} else {
			pos.Column++
		}
		i += w
	}
	pos.Byte = off
	return pos
}
