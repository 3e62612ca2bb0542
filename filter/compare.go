package filter

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// order compares two non-NULL operands: -1, 0 or 1. Text compares without
// regard to case and to trailing spaces (SQL Server's default collation);
// text is converted to a number, date or boolean when the other side is one,
// and F&O enum names to their integers.
func (ev *evaluator) order(a, b side) (int, error) {
	switch x := a.v.(type) {
	case string:
		return ev.orderString(x, a, b)
	case enumValue:
		return ev.orderEnum(x, a, b)
	}
	switch b.v.(type) {
	case string, enumValue:
		c, err := ev.order(b, a)
		return -c, err
	}
	return ev.orderScalars(a, b)
}

var errMismatch = errors.New("types do not match")

// orderScalars compares numbers, booleans and times.
func (ev *evaluator) orderScalars(a, b side) (int, error) {
	switch x := a.v.(type) {
	case int64:
		switch y := b.v.(type) {
		case int64:
			return cmp.Compare(x, y), nil
		case float64:
			return cmp.Compare(float64(x), y), nil
		case bool:
			return ev.orderNoYes(x, y)
		}
	case float64:
		switch y := b.v.(type) {
		case int64:
			return cmp.Compare(x, float64(y)), nil
		case float64:
			return cmp.Compare(x, y), nil
		}
	case bool:
		switch y := b.v.(type) {
		case bool:
			return cmp.Compare(boolInt(x), boolInt(y)), nil
		case int64:
			c, err := ev.orderNoYes(y, x)
			return -c, err
		}
	case time.Time:
		if y, ok := b.v.(time.Time); ok {
			return x.Compare(y), nil
		}
	}
	return 0, fmt.Errorf("%s compared with %s: %w", describe(a.v), describe(b.v), errMismatch)
}

// orderNoYes compares an integer with a boolean: in F&O a NoYes column
// compares with 0 and 1; Dataverse has no such conversion.
func (ev *evaluator) orderNoYes(i int64, b bool) (int, error) {
	if ev.lang != FinOps {
		return 0, fmt.Errorf("number compared with true/false: %w", errMismatch)
	}
	return cmp.Compare(i, boolInt(b)), nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// orderString compares text s (side a) with side b.
func (ev *evaluator) orderString(s string, a, b side) (int, error) {
	switch y := b.v.(type) {
	case string:
		return compareFold(s, y), nil
	case enumValue:
		return compareFold(s, y.name), nil
	case int64, float64:
		return ev.orderTextNumber(s, a, b)
	case bool:
		v, ok := parseBoolText(s)
		if !ok {
			return 0, fmt.Errorf("text %q compared with true/false: %w", s, errMismatch)
		}
		return cmp.Compare(boolInt(v), boolInt(y)), nil
	case time.Time:
		t, ok := parseTimeText(s)
		if !ok {
			return 0, fmt.Errorf("text %q compared with a date: %w", s, errMismatch)
		}
		return t.Compare(y), nil
	}
	return 0, fmt.Errorf("text compared with %s: %w", describe(b.v), errMismatch)
}

// orderTextNumber compares text with a number: numeric text converts; in F&O
// an enum value name converts through the row's enum metadata (or NoYes).
func (ev *evaluator) orderTextNumber(s string, a, b side) (int, error) {
	if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
		return ev.orderScalars(side{v: f}, b)
	}
	if ev.lang == FinOps || ev.lang == FinOpsOData {
		col := a.col
		if col == "" {
			col = b.col
		}
		if i, ok := ev.enumInt(col, s); ok {
			return ev.orderScalars(side{v: i}, b)
		}
		return 0, fmt.Errorf("enum value %q has no known integer (the row does not describe the enum): %w", s, errMismatch)
	}
	return 0, fmt.Errorf("text %q compared with a number: %w", s, errMismatch)
}

// orderEnum compares an enum literal (side a) with side b.
func (ev *evaluator) orderEnum(e enumValue, a, b side) (int, error) {
	switch y := b.v.(type) {
	case string:
		return compareFold(e.name, y), nil
	case enumValue:
		return compareFold(e.name, y.name), nil
	case int64:
		if i, ok := ev.enumInt(b.col, e.name); ok {
			return cmp.Compare(i, y), nil
		}
		return 0, fmt.Errorf("enum value %s::%s has no known integer (the row does not describe the enum): %w", e.typ, e.name, errMismatch)
	case bool:
		if i, ok := noYes(e.name); ok {
			return cmp.Compare(i, boolInt(y)), nil
		}
	}
	return 0, fmt.Errorf("enum compared with %s: %w", describe(b.v), errMismatch)
}

// enumInt resolves an enum value name of column to its integer.
func (ev *evaluator) enumInt(column, name string) (int64, bool) {
	if er, ok := ev.row.(EnumRow); ok && column != "" {
		if i, ok := er.EnumValue(column, name); ok {
			return i, true
		}
	}
	return noYes(name)
}

func noYes(name string) (int64, bool) {
	switch {
	case strings.EqualFold(name, "No"):
		return 0, true
	case strings.EqualFold(name, "Yes"):
		return 1, true
	}
	return 0, false
}

func parseBoolText(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "1":
		return true, true
	case "false", "no", "0":
		return false, true
	}
	return false, false
}

func parseTimeText(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range append([]string{time.DateOnly}, dateTimeLayouts...) {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// compareFold compares text ignoring case and trailing spaces.
func compareFold(a, b string) int {
	a, b = strings.TrimRight(a, " "), strings.TrimRight(b, " ")
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			la, lb := unicode.ToLower(ra), unicode.ToLower(rb)
			if la != lb {
				return cmp.Compare(la, lb)
			}
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

func describe(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case int64, float64:
		return "a number"
	case bool:
		return "true/false"
	case time.Time:
		return "a date"
	case enumValue:
		return "an enum value"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
