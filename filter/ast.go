package filter

import "time"

// node is a boolean-valued part of a filter: logical, not, compare or call.
type node interface {
	span() (start, end int)
}

// operand is one side of a comparison: *column or *literal.
type operand interface {
	span() (start, end int)
}

type logicalOp int

const (
	opAnd logicalOp = iota + 1
	opOr
)

// logical is an n-ary and/or. Nested logicals of the same op are flattened.
type logical struct {
	op         logicalOp
	operands   []node
	start, end int
}

type notNode struct {
	x          node
	start, end int
}

type cmpOp int

const (
	cmpEq cmpOp = iota + 1
	cmpNe
	cmpLt
	cmpLe
	cmpGt
	cmpGe
	cmpLike // F&O like
)

// compare is a comparison of two operands.
type compare struct {
	op          cmpOp
	left, right operand
	start, end  int
	// pattern is the compiled wildcard pattern when the comparison matches
	// one (F&O like, F&O OData eq/ne with '*').
	pattern *pattern
}

// call is an OData string function: contains, startswith or endswith.
type call struct {
	fn         string
	col        *column
	arg        *literal
	start, end int
	pattern    *pattern
}

type column struct {
	name       string
	start, end int
}

// literal is a constant. v holds nil, bool, int64, float64, string (also for
// GUIDs, lowercased), time.Time (dates, datetimes) or enumValue.
type literal struct {
	kind       LiteralKind
	v          any
	start, end int
	// folded is the case-folded form of a string, for comparisons.
	folded string
	// offset records that a datetime was written with a numeric offset, to
	// print it back the same way.
	offset bool
}

// enumValue is an enum literal.
type enumValue struct {
	typ, name string
}

func (n *logical) span() (int, int) { return n.start, n.end }
func (n *notNode) span() (int, int) { return n.start, n.end }
func (n *compare) span() (int, int) { return n.start, n.end }
func (n *call) span() (int, int)    { return n.start, n.end }
func (n *column) span() (int, int)  { return n.start, n.end }
func (n *literal) span() (int, int) { return n.start, n.end }

// equalNodes reports whether two trees are the same filter, ignoring positions.
func equalNodes(a, b node) bool {
	switch x := a.(type) {
	case *logical:
		y, ok := b.(*logical)
		if !ok || x.op != y.op || len(x.operands) != len(y.operands) {
			return false
		}
		for i := range x.operands {
			if !equalNodes(x.operands[i], y.operands[i]) {
				return false
			}
		}
		return true
	case *notNode:
		y, ok := b.(*notNode)
		return ok && equalNodes(x.x, y.x)
	case *compare:
		y, ok := b.(*compare)
		return ok && x.op == y.op && equalOperands(x.left, y.left) && equalOperands(x.right, y.right)
	case *call:
		y, ok := b.(*call)
		return ok && x.fn == y.fn && x.col.name == y.col.name && equalOperands(x.arg, y.arg)
	case *setTest:
		y, ok := b.(*setTest)
		return ok && x.fn == y.fn && x.col.name == y.col.name && equalLiterals(x.values, y.values)
	}
	return false
}

func equalLiterals(a, b []*literal) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equalOperands(a[i], b[i]) {
			return false
		}
	}
	return true
}

func equalOperands(a, b operand) bool {
	switch x := a.(type) {
	case *column:
		y, ok := b.(*column)
		return ok && x.name == y.name
	case *literal:
		y, ok := b.(*literal)
		if !ok || x.kind != y.kind {
			return false
		}
		if t, isTime := x.v.(time.Time); isTime {
			u, ok := y.v.(time.Time)
			return ok && t.Equal(u) && x.offset == y.offset
		}
		return x.v == y.v
	}
	return false
}

// columnRefs lists the columns of a tree in source order.
func columnRefs(n node, opName func(cmpOp) string, print func(*literal) string) []ColumnRef {
	var refs []ColumnRef
	var walk func(node)
	walk = func(n node) {
		switch x := n.(type) {
		case *logical:
			for _, o := range x.operands {
				walk(o)
			}
		case *notNode:
			walk(x.x)
		case *call:
			refs = append(refs, ColumnRef{Name: x.col.name, Start: x.col.start, End: x.col.end,
				Operator: x.fn, Literals: []Literal{exportLiteral(x.arg, print)}})
		case *compare:
			refs = appendCompareRefs(refs, x, opName(x.op), print)
		case *setTest:
			ref := ColumnRef{Name: x.col.name, Start: x.col.start, End: x.col.end, Operator: x.fn}
			for _, v := range x.values {
				ref.Literals = append(ref.Literals, exportLiteral(v, print))
			}
			refs = append(refs, ref)
		}
	}
	walk(n)
	return refs
}

func appendCompareRefs(refs []ColumnRef, c *compare, op string, print func(*literal) string) []ColumnRef {
	sides := [2]operand{c.left, c.right}
	for i, side := range sides {
		col, ok := side.(*column)
		if !ok {
			continue
		}
		ref := ColumnRef{Name: col.name, Start: col.start, End: col.end, Operator: op}
		if lit, ok := sides[1-i].(*literal); ok {
			ref.Literals = []Literal{exportLiteral(lit, print)}
		}
		refs = append(refs, ref)
	}
	return refs
}

func exportLiteral(l *literal, print func(*literal) string) Literal {
	out := Literal{Kind: l.kind, Text: print(l), Start: l.start, End: l.end}
	switch v := l.v.(type) {
	case enumValue:
		out.Enum, out.Value = v.typ, v.name
	case string:
		if l.kind == LitString {
			out.Value = v
		}
	}
	return out
}
