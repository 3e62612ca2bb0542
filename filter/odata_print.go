package filter

import (
	"strconv"
	"strings"
	"time"
)

// odataExpr is a parsed OData filter (Dataverse, Web API, F&O OData).
type odataExpr struct {
	mode odataMode
	root node
}

// Lang returns Dataverse or FinOpsOData.
func (e *odataExpr) Lang() Lang { return e.mode.lang() }

// String returns the canonical form: single spaces, lowercase operators,
// and parentheses exactly where an or sits inside an and (or the reverse)
// and around what not negates (except a function call).
func (e *odataExpr) String() string {
	var b strings.Builder
	printOData(&b, e.root)
	return b.String()
}

// Columns lists the columns the filter names.
func (e *odataExpr) Columns() []ColumnRef {
	return columnRefs(e.root, odataOpName, odataLiteral)
}

// Eval evaluates the filter on row.
func (e *odataExpr) Eval(row Row) (bool, error) {
	ev := evaluator{row: row, lang: e.mode.lang()}
	t, err := ev.node(e.root)
	return t == triTrue, err
}

var odataOpNames = map[cmpOp]string{cmpEq: "eq", cmpNe: "ne", cmpGt: "gt", cmpGe: "ge", cmpLt: "lt", cmpLe: "le"}

func odataOpName(op cmpOp) string { return odataOpNames[op] }

func printOData(b *strings.Builder, n node) {
	switch x := n.(type) {
	case *logical:
		word := " and "
		if x.op == opOr {
			word = " or "
		}
		for i, o := range x.operands {
			if i > 0 {
				b.WriteString(word)
			}
			_, nested := o.(*logical)
			printODataWrapped(b, o, nested)
		}
	case *notNode:
		b.WriteString("not ")
		switch x.x.(type) {
		case *call, *setTest:
			printOData(b, x.x)
		default:
			printODataWrapped(b, x.x, true)
		}
	case *compare:
		b.WriteString(odataOperand(x.left))
		b.WriteString(" " + odataOpNames[x.op] + " ")
		b.WriteString(odataOperand(x.right))
	case *call:
		b.WriteString(x.fn + "(" + x.col.name + ", " + odataLiteral(x.arg) + ")")
	case *setTest:
		printSetTest(b, x)
	}
}

func printODataWrapped(b *strings.Builder, n node, wrap bool) {
	if wrap {
		b.WriteByte('(')
	}
	printOData(b, n)
	if wrap {
		b.WriteByte(')')
	}
}

func odataOperand(o operand) string {
	switch x := o.(type) {
	case *column:
		return x.name
	case *literal:
		return odataLiteral(x)
	}
	return ""
}

func odataLiteral(l *literal) string {
	switch l.kind {
	case LitNull:
		return "null"
	case LitBool:
		return strconv.FormatBool(l.v.(bool))
	case LitInt:
		return strconv.FormatInt(l.v.(int64), 10)
	case LitDecimal:
		return formatDecimal(l.v.(float64))
	case LitString:
		return "'" + strings.ReplaceAll(l.v.(string), "'", "''") + "'"
	case LitGUID:
		return l.v.(string)
	case LitDate:
		return l.v.(time.Time).Format(time.DateOnly)
	case LitDateTime:
		return l.v.(time.Time).Format(time.RFC3339Nano)
	case LitEnum:
		ev := l.v.(enumValue)
		return ev.typ + "'" + strings.ReplaceAll(ev.name, "'", "''") + "'"
	}
	return ""
}

// formatDecimal prints a float so that it reads back as a decimal.
func formatDecimal(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}
