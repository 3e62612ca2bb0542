package planner

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/filter"
	"github.com/dwctl/dwctl/providers"
)

// filterColumns checks that every column a map's filters name exists on
// its side and that the constants it is compared with fit the column's
// type (DIPV1012 on the Dataverse side, health check 900 on F&O's).
// Diagnostics point at the characters inside the HCL string.
func filterColumns(cfg *config.Config, m *config.TableMap, fo, dv providers.Table) hcl.Diagnostics {
	if m.Filter == nil {
		return nil
	}
	var diags hcl.Diagnostics
	if t := m.Filter.FinOps; t != nil {
		diags = append(diags, filterSide(cfg, t, filter.FinOps, fo, "F&O entity "+fo.EntitySetName, "health check 900")...)
	}
	if t := m.Filter.Dataverse; t != nil {
		diags = append(diags, filterSide(cfg, t, filter.Dataverse, dv, "Dataverse table "+dv.LogicalName, "DIPV1012")...)
	}
	return diags
}

func filterSide(cfg *config.Config, t *config.Text, lang filter.Lang, table providers.Table, what, rule string) hcl.Diagnostics {
	expr, _ := filter.Parse(lang, t.Value)
	if expr == nil {
		return nil // the offline check reported it
	}
	src := cfg.Sources[t.File]
	var diags hcl.Diagnostics
	for _, ref := range expr.Columns() {
		name := filterColumnName(ref.Name, lang)
		if name == "" {
			continue
		}
		col, ok := column(table, name)
		if !ok {
			diags = append(diags, liveDiag(hcl.DiagError, t.SourceRange(src, ref.Start, ref.End), "Unknown column in filter",
				"%s: the %s has no column %q, so the service would reject this filter.%s", rule, what, name, filterHint(lang)))
			continue
		}
		for _, lit := range ref.Literals {
			if !literalFits(lit.Kind, col.Type) {
				diags = append(diags, liveDiag(hcl.DiagError, t.SourceRange(src, lit.Start, lit.End), "Filter constant of the wrong type",
					"%s: %s is %s, but it is compared with a %s constant (%s).", rule, col.Name, col.Type, lit.Kind, lit.Text))
			}
		}
	}
	return diags
}

// filterColumnName is the table column a filter reference names: the
// lookup behind a Dataverse _name_value property; "" for another data
// source's field (dataSource.field), which the entity does not list.
func filterColumnName(name string, lang filter.Lang) string {
	if lang == filter.FinOps && strings.Contains(name, ".") {
		return ""
	}
	if lang == filter.Dataverse && strings.HasPrefix(name, "_") && strings.HasSuffix(name, "_value") && len(name) > len("__value") {
		return strings.TrimSuffix(strings.TrimPrefix(name, "_"), "_value")
	}
	return name
}

func filterHint(lang filter.Lang) string {
	if lang == filter.Dataverse {
		return " Filters name the table's own columns by logical name; a lookup is compared through _name_value."
	}
	return " Filters name the entity's fields as the map does."
}

// literalFits reports whether a constant of kind can be compared with a
// column of the service type typ. Published filters quote numbers, dates
// and option values, so strings fit every type; unknown types fit all.
func literalFits(kind filter.LiteralKind, typ string) bool {
	switch kind {
	case filter.LitNull, filter.LitString:
		return true
	}
	fam := family(typ)
	switch fam {
	case "":
		return true
	case "text":
		return false
	case "number":
		return kind == filter.LitInt || kind == filter.LitDecimal
	case "choice":
		return kind == filter.LitInt || kind == filter.LitEnum || kind == filter.LitBool
	case "datetime":
		return kind == filter.LitDate || kind == filter.LitDateTime
	case "guid":
		return kind == filter.LitGUID
	}
	return true
}
