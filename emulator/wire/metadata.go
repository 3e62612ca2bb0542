package wire

import (
	"encoding/xml"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
)

// XMLEscape escapes s for XML text and attribute values.
func XMLEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// EDMType maps a column type to its EDM type.
func EDMType(c store.Column) string {
	switch c.Type {
	case store.TypeInteger, store.TypePicklist, store.TypeState, store.TypeStatus:
		return "Edm.Int32"
	case store.TypeBigInt, store.TypeInt64:
		return "Edm.Int64"
	case store.TypeDecimal, store.TypeMoney, store.TypeReal:
		return "Edm.Decimal"
	case store.TypeDouble:
		return "Edm.Double"
	case store.TypeBoolean:
		return "Edm.Boolean"
	case store.TypeDateTime:
		return "Edm.DateTimeOffset"
	case store.TypeDate:
		return "Edm.Date"
	case store.TypeUniqueID, store.TypeGUID:
		return "Edm.Guid"
	case store.TypeEnum:
		return "Microsoft.Dynamics.DataEntities." + c.EnumType
	}
	return "Edm.String"
}

// MetaRow lets filters read complex values such as RequiredLevel/Value and enum member names.
type MetaRow map[string]any

// Value returns a property, following "/" into complex values (filter.Row).
func (m MetaRow) Value(column string) (any, bool) {
	var cur any = map[string]any(m)
	for _, p := range strings.Split(column, "/") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[p]; !ok {
			return nil, false
		}
	}
	return cur, true
}
