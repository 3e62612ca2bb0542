package copier

import (
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/filter"
)

// EnumNumericColumns names (lower case) the columns an F&O filter compares with integers: an X++
// range on an enum field compares the enum's value, so "(AssociatedContactType == 1)" selects the
// member whose value is 1 [I].
func EnumNumericColumns(src string) map[string]bool {
	out := map[string]bool{}
	if strings.TrimSpace(src) == "" {
		return out
	}
	expr, _ := filter.ParseFinOps(src)
	if expr == nil {
		return out
	}
	for _, ref := range expr.Columns() {
		for _, lit := range ref.Literals {
			if lit.Kind == filter.LitInt {
				out[strings.ToLower(ref.Name)] = true
			}
		}
	}
	return out
}

// FinOpsFilterRow is an F&O row as a filter reads it: enum fields the filter compares with
// integers carry their member's value instead of its name.
func FinOpsFilterRow(fo *store.Table, numeric map[string]bool, data map[string]any) filter.Row {
	if len(numeric) == 0 || fo == nil {
		return filter.MapRow(data)
	}
	row := filter.MapRow(cloneData(data))
	for _, c := range fo.Columns {
		if c.Type != store.TypeEnum || !numeric[strings.ToLower(c.Name)] {
			continue
		}
		name := wire.AnyString(data[c.Name])
		for _, o := range c.Options {
			if strings.EqualFold(o.Label, name) {
				row[c.Name] = int64(o.Value)
			}
		}
	}
	return row
}
