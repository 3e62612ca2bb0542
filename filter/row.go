package filter

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Row is what Eval reads. Values: nil, string, bool, int64, float64,
// time.Time; other integer and float types, json.Number and fmt.Stringer are
// converted. A column the row does not have (ok false) evaluates as NULL:
// checking that columns exist is the caller's job (see Expr.Columns).
type Row interface {
	Value(column string) (v any, ok bool)
}

// EnumRow is a Row that also knows the enum types of its F&O columns. F&O
// evaluation uses it to compare a column holding an enum value name
// ("Organization") with an integer, or an integer column with a name or a
// Type::Value literal. Without it only NoYes (No = 0, Yes = 1) is known.
type EnumRow interface {
	Row
	// EnumValue returns the integer of the enum value name in column.
	EnumValue(column, name string) (int64, bool)
}

// MapRow is a Row over a map; lookups are exact first, then case-insensitive.
type MapRow map[string]any

// Value returns the value of column, matched exactly or else ignoring case.
func (m MapRow) Value(column string) (any, bool) {
	if v, ok := m[column]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, column) {
			return v, true
		}
	}
	return nil, false
}

// normalize converts a row value to one of nil, string, bool, int64, float64
// or time.Time.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, int64, float64, time.Time:
		return v, nil
	case int:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint:
		return normalizeUint(uint64(x))
	case uint64:
		return normalizeUint(x)
	case float32:
		return float64(x), nil
	case *time.Time:
		if x == nil {
			return nil, nil
		}
		return *x, nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		return x.Float64()
	case fmt.Stringer:
		return x.String(), nil
	}
	return nil, fmt.Errorf("unsupported value type %T", v)
}

func normalizeUint(u uint64) (any, error) {
	if u > 1<<63-1 {
		return float64(u), nil
	}
	return int64(u), nil
}
