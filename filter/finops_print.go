package filter

import (
	"strconv"
	"strings"
	"time"
)

// finopsExpr is a parsed X++ query-range expression.
type finopsExpr struct {
	root node
}

// Lang returns FinOps.
func (e *finopsExpr) Lang() Lang { return FinOps }

// String returns the canonical form: every comparison, negation and
// &&/|| group in exactly one pair of parentheses, which also wraps the whole
// expression: ((A == 1) || (B like "x*")).
func (e *finopsExpr) String() string {
	var b strings.Builder
	printFinOps(&b, e.root)
	return b.String()
}

// Columns lists the fields the filter names.
func (e *finopsExpr) Columns() []ColumnRef {
	return columnRefs(e.root, finopsOpName, finopsLiteral)
}

// Eval evaluates the filter on row.
func (e *finopsExpr) Eval(row Row) (bool, error) {
	ev := evaluator{row: row, lang: FinOps}
	t, err := ev.node(e.root)
	return t == triTrue, err
}

var finopsOpNames = map[cmpOp]string{cmpEq: "==", cmpNe: "!=", cmpGt: ">", cmpGe: ">=", cmpLt: "<", cmpLe: "<=", cmpLike: "like"}

func finopsOpName(op cmpOp) string { return finopsOpNames[op] }

func printFinOps(b *strings.Builder, n node) {
	b.WriteByte('(')
	switch x := n.(type) {
	case *logical:
		word := " && "
		if x.op == opOr {
			word = " || "
		}
		for i, o := range x.operands {
			if i > 0 {
				b.WriteString(word)
			}
			printFinOps(b, o)
		}
	case *notNode:
		b.WriteByte('!')
		printFinOps(b, x.x)
	case *compare:
		b.WriteString(finopsOperand(x.left))
		b.WriteString(" " + finopsOpNames[x.op] + " ")
		b.WriteString(finopsOperand(x.right))
	}
	b.WriteByte(')')
}

func finopsOperand(o operand) string {
	switch x := o.(type) {
	case *column:
		return x.name
	case *literal:
		return finopsLiteral(x)
	}
	return ""
}

var finopsStringEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

func finopsLiteral(l *literal) string {
	switch l.kind {
	case LitBool:
		return strconv.FormatBool(l.v.(bool))
	case LitInt:
		return strconv.FormatInt(l.v.(int64), 10)
	case LitDecimal:
		return formatDecimal(l.v.(float64))
	case LitString:
		return `"` + finopsStringEscaper.Replace(l.v.(string)) + `"`
	case LitDate:
		return l.v.(time.Time).Format(`02\01\2006`)
	case LitDateTime:
		return l.v.(time.Time).Format(time.RFC3339Nano)
	case LitEnum:
		ev := l.v.(enumValue)
		return ev.typ + "::" + ev.name
	}
	return ""
}
