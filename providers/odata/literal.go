package odata

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// Literal formats v as an OData literal: strings quoted with ” escaping, GUIDs bare, enums as
// Type'Member', numbers and booleans bare.
func Literal(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'", nil
	case providers.GUID:
		if !IsGUID(string(v)) {
			return "", fmt.Errorf("%q is not a GUID", string(v))
		}
		return strings.ToLower(string(v)), nil
	case providers.Enum:
		return v.Type + "'" + strings.ReplaceAll(v.Member, "'", "''") + "'", nil
	case bool:
		return strconv.FormatBool(v), nil
	case int:
		return strconv.Itoa(v), nil
	case int32:
		return strconv.FormatInt(int64(v), 10), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case json.Number:
		return v.String(), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case nil:
		return "null", nil
	}
	return "", fmt.Errorf("cannot write %T as an OData literal", v)
}

// IsGUID reports whether s has the 8-4-4-4-12 hexadecimal form.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
