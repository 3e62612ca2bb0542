package filter

import (
	"fmt"
)

// tri is a SQL truth value. Both services translate filters to SQL, so a
// comparison involving NULL is unknown, not(unknown) is unknown, and a row
// passes only when the whole filter is true [I: from the documented
// "NULL is not \"\"" pitfall and SQL Server's semantics].
type tri int8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// evaluator evaluates one tree on one row.
type evaluator struct {
	row  Row
	lang Lang
}

func (ev *evaluator) node(n node) (tri, error) {
	switch x := n.(type) {
	case *logical:
		return ev.logical(x)
	case *notNode:
		t, err := ev.node(x.x)
		if err != nil || t == triUnknown {
			return t, err
		}
		return triOf(t == triFalse), nil
	case *compare:
		return ev.compare(x)
	case *call:
		return ev.call(x)
	case *setTest:
		return ev.setTest(x)
	}
	return triUnknown, fmt.Errorf("unknown node %T", n)
}

func (ev *evaluator) logical(x *logical) (tri, error) {
	stop, result := triFalse, triTrue // and: false decides
	if x.op == opOr {
		stop, result = triTrue, triFalse
	}
	for _, o := range x.operands {
		t, err := ev.node(o)
		if err != nil {
			return triUnknown, err
		}
		if t == stop {
			return stop, nil
		}
		if t == triUnknown {
			result = triUnknown
		}
	}
	return result, nil
}

// value returns the value of a column in the row, normalized.
func (ev *evaluator) value(c *column) (any, error) {
	v, ok := ev.row.Value(c.name)
	if !ok {
		return nil, nil
	}
	n, err := normalize(v)
	if err != nil {
		return nil, fmt.Errorf("column %s: %w", c.name, err)
	}
	return n, nil
}

func (ev *evaluator) call(x *call) (tri, error) {
	v, err := ev.value(x.col)
	if err != nil || v == nil {
		return triUnknown, err
	}
	s, ok := v.(string)
	if !ok {
		return triUnknown, fmt.Errorf("%s(%s, ...): column holds %s, not text", x.fn, x.col.name, describe(v))
	}
	return triOf(x.pattern.match(s)), nil
}

// side is one operand of a comparison, evaluated.
type side struct {
	v   any
	col string   // column name, when the operand is a column
	lit *literal // the literal, when it is one
}

func (ev *evaluator) side(o operand) (side, error) {
	switch x := o.(type) {
	case *column:
		v, err := ev.value(x)
		return side{v: v, col: x.name}, err
	case *literal:
		return side{v: x.v, lit: x}, nil
	}
	return side{}, fmt.Errorf("unknown operand %T", o)
}

func (ev *evaluator) compare(x *compare) (tri, error) {
	a, err := ev.side(x.left)
	if err != nil {
		return triUnknown, err
	}
	b, err := ev.side(x.right)
	if err != nil {
		return triUnknown, err
	}
	if isNullLiteral(a.lit) || isNullLiteral(b.lit) {
		isNull := a.v == nil && b.v == nil
		return triOf(isNull == (x.op == cmpEq)), nil
	}
	if a.v == nil || b.v == nil {
		return triUnknown, nil
	}
	if x.pattern != nil {
		return ev.match(x, a, b)
	}
	c, err := ev.order(a, b)
	if err != nil {
		return triUnknown, fmt.Errorf("%s: %w", ev.describeCompare(a, b), err)
	}
	return triOf(opHolds(x.op, c)), nil
}

func isNullLiteral(l *literal) bool { return l != nil && l.kind == LitNull }

// match applies a wildcard pattern (F&O like; F&O OData eq '*x*').
func (ev *evaluator) match(x *compare, a, b side) (tri, error) {
	subject := a
	if a.lit != nil {
		subject = b
	}
	s, ok := subject.v.(string)
	if !ok {
		return triUnknown, fmt.Errorf("%s holds %s; a wildcard pattern matches only text", subject.col, describe(subject.v))
	}
	m := x.pattern.match(s)
	return triOf(m == (x.op != cmpNe)), nil
}

func opHolds(op cmpOp, c int) bool {
	switch op {
	case cmpEq:
		return c == 0
	case cmpNe:
		return c != 0
	case cmpLt:
		return c < 0
	case cmpLe:
		return c <= 0
	case cmpGt:
		return c > 0
	case cmpGe:
		return c >= 0
	}
	return false
}

func (ev *evaluator) describeCompare(a, b side) string {
	name := a.col
	if name == "" {
		name = b.col
	}
	return "column " + name
}
