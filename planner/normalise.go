package planner

import (
	"math/big"
	"net/url"
	"slices"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/filter"
	"github.com/dwctl/dwctl/providers"
	"github.com/zclconf/go-cty/cty"
)

// The normalisers put desired and live attributes into one canonical form,
// so that comparing them with go-cmp reports only real differences:
//
//   - company ids and F&O field and entity names compare without regard
//     to case (F&O stores them lower case and shows them upper case);
//   - Dataverse logical names, columns and lookup paths are lower case;
//   - fields are ordered by their two sides, key columns keep their order
//     (it is the key's), alert lists are sorted;
//   - filters are compared in the filter package's canonical form;
//   - numbers in defaults and value maps compare by value ("1" = "1.0");
//   - a constant field's direction follows from its empty side.

// hostOf returns the lower-case host of an environment URL ("" stays "").
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return strings.ToLower(strings.TrimSuffix(raw, "/"))
	}
	return strings.ToLower(u.Host)
}

// canonicalFilter returns the canonical form of a filter, or the trimmed
// source when it does not parse.
func canonicalFilter(lang filter.Lang, src string) string {
	src = strings.TrimSpace(src)
	if src == "" {
		return ""
	}
	e, diags := filter.Parse(lang, src)
	if e == nil || filter.HasErrors(diags) {
		return src
	}
	return e.String()
}

// foldFinOpsFilter upper-cases the field names of a canonical F&O filter:
// F&O field names are case-insensitive, so two filters that differ only
// there are the same filter.
func foldFinOpsFilter(out string) string {
	again, diags := filter.Parse(filter.FinOps, out)
	if again == nil || filter.HasErrors(diags) {
		return out
	}
	b := []byte(out)
	for _, c := range again.Columns() {
		if c.Start >= 0 && c.End <= len(b) && c.Start < c.End {
			copy(b[c.Start:c.End], strings.ToUpper(out[c.Start:c.End]))
		}
	}
	return string(b)
}

// canonicalValue makes numbers compare by value and booleans by name.
func canonicalValue(s string) string {
	t := strings.TrimSpace(s)
	if r, ok := new(big.Rat).SetString(t); ok && t != "" {
		if r.IsInt() {
			return r.Num().String()
		}
		return r.FloatString(20)
	}
	switch strings.ToLower(t) {
	case "true", "false":
		return strings.ToLower(t)
	}
	return s
}

// ctyString renders a primitive cty value the way the service stores it.
func ctyString(v cty.Value) string {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return ""
	}
	switch v.Type() {
	case cty.String:
		return v.AsString()
	case cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case cty.Bool:
		if v.True() {
			return "true"
		}
		return "false"
	}
	return v.GoString()
}

// direction names of providers.SyncDirection.
var directionNames = map[providers.SyncDirection]string{
	providers.ToDataverse: string(config.ToDataverse), providers.ToFinOps: string(config.ToFinOps),
	providers.Bidirectional: string(config.Both),
}

// DirectionOf returns the service's direction for a configured one.
func DirectionOf(d config.Direction) providers.SyncDirection {
	for k, v := range directionNames {
		if v == string(d) {
			return k
		}
	}
	return providers.Bidirectional
}

// normField puts one field mapping in canonical form.
func normField(f FieldAttrs) FieldAttrs {
	f.FinOps = strings.ToUpper(strings.TrimSpace(f.FinOps))
	f.Dataverse = strings.ToLower(strings.TrimSpace(f.Dataverse))
	switch {
	case f.FinOps == "":
		f.Direction = string(config.ToDataverse)
	case f.Dataverse == "":
		f.Direction = string(config.ToFinOps)
	}
	if len(f.ValueMap) == 0 {
		f.ValueMap = nil
	} else {
		vm := make(map[string]string, len(f.ValueMap))
		for k, v := range f.ValueMap {
			vm[strings.ToLower(k)] = canonicalValue(v)
		}
		f.ValueMap = vm
	}
	if f.Default != nil {
		d := canonicalValue(*f.Default)
		f.Default = &d
	}
	return f
}

// normFields canonicalises and orders field mappings.
func normFields(fs []FieldAttrs) []FieldAttrs {
	out := make([]FieldAttrs, 0, len(fs))
	for _, f := range fs {
		out = append(out, normField(f))
	}
	slices.SortFunc(out, func(a, b FieldAttrs) int {
		if c := strings.Compare(a.FinOps, b.FinOps); c != 0 {
			return c
		}
		return strings.Compare(a.Dataverse, b.Dataverse)
	})
	return out
}

// normAlerts canonicalises and orders alert settings.
func normAlerts(as []AlertAttrs) []AlertAttrs {
	out := make([]AlertAttrs, 0, len(as))
	for _, a := range as {
		a.Errors = sortedLower(a.Errors)
		a.Recipients = sortedLower(a.Recipients)
		a.Action = strings.ToLower(a.Action)
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b AlertAttrs) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func sortedLower(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, strings.ToLower(strings.TrimSpace(s)))
	}
	slices.Sort(out)
	return out
}

func lowerAll(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, strings.ToLower(strings.TrimSpace(s)))
	}
	return out
}

// scopeTypes translates number_sequence scopes to F&O NumberSequenceType members.
var scopeTypes = map[string]string{
	"shared": "Shared", "company": "DataArea", "legal_entity": "LegalEntity", "operating_unit": "OperatingUnit",
}

// scopeName translates a NumberSequenceType member back to a scope.
func scopeName(scopeType string) string {
	for k, v := range scopeTypes {
		if strings.EqualFold(v, scopeType) {
			return k
		}
	}
	return strings.ToLower(scopeType)
}

// ScopeType returns the F&O NumberSequenceType member of a configured scope.
func ScopeType(scope string) string {
	if t, ok := scopeTypes[scope]; ok {
		return t
	}
	return scope
}
