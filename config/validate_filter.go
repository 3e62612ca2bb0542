package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/dwctl/dwctl/filter"
)

// checkFilters parses every filter of the configuration — both sides of
// each table map's filter block and each company's bootstrap where (a
// Dataverse filter) — and reports the filter package's findings with the
// range of the offending characters inside the HCL string, escapes and
// template sequences accounted for (Text.SourceRange).
func (l *loader) checkFilters() {
	for _, m := range bySource(l.cfg.TableMaps) {
		if m.Filter == nil {
			continue
		}
		l.checkFilter(m.Filter.FinOps, filter.FinOps)
		l.checkFilter(m.Filter.Dataverse, filter.Dataverse)
		l.checkCompanyFilter(m, m.Filter.FinOps, filter.FinOps)
		l.checkCompanyFilter(m, m.Filter.Dataverse, filter.Dataverse)
	}
	for _, c := range bySource(l.cfg.Companies) {
		if c.Bootstrap != nil {
			for _, w := range c.Bootstrap.WhereExprs {
				l.checkFilter(w, filter.Dataverse)
			}
		}
	}
}

// checkFilter reports the diagnostics of one filter. An empty string is no
// filter: every row passes.
func (l *loader) checkFilter(t *Text, lang filter.Lang) {
	if t == nil || strings.TrimSpace(t.Value) == "" {
		return
	}
	_, diags := filter.Parse(lang, t.Value)
	src := l.cfg.Sources[t.File]
	for _, d := range diags {
		rng := t.SourceRange(src, d.Start, d.End)
		l.diags = append(l.diags, filterDiagnostic(lang, d, rng))
	}
}

// filterDiagnostic converts a filter finding; a canonical rewrite is given
// in the detail.
func filterDiagnostic(lang filter.Lang, d filter.Diagnostic, rng hcl.Range) *hcl.Diagnostic {
	sev := hcl.DiagError
	if d.Severity == filter.Warning {
		sev = hcl.DiagWarning
	}
	detail := d.Detail
	if d.Rewrite != "" {
		detail += " Canonical form, as an HCL string: " + hclQuote(d.Rewrite)
	}
	return &hcl.Diagnostic{
		Severity: sev,
		Summary:  d.Summary,
		Detail:   "In the " + lang.String() + " filter: " + detail,
		Subject:  &rng,
	}
}

// hclQuote writes s as an HCL quoted string.
func hclQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "${", "$${", "%{", "%%{")
	return `"` + r.Replace(s) + `"`
}

// checkCompanyFilter warns about a map filter on the company column
// (dataAreaId in F&O, the company lookup in Dataverse): a map cannot be
// scoped to some legal entities [faq], the link's company list chooses
// them for every map.
func (l *loader) checkCompanyFilter(m *TableMap, t *Text, lang filter.Lang) {
	if t == nil || strings.TrimSpace(t.Value) == "" {
		return
	}
	e, _ := filter.Parse(lang, t.Value)
	if e == nil {
		return
	}
	src := l.cfg.Sources[t.File]
	for _, ref := range e.Columns() {
		name := strings.ToLower(ref.Name)
		if lang == filter.Dataverse {
			name, _, _ = strings.Cut(name, "/")
			name = strings.TrimSuffix(strings.TrimPrefix(name, "_"), "_value")
		}
		if name != "dataareaid" && name != "msdyn_company" && name != "cdm_companyid" {
			continue
		}
		rng := t.SourceRange(src, ref.Start, ref.End)
		l.diags = append(l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Map filtered by company",
			Detail: fmt.Sprintf("%s filters on %s, the company. Dual-write cannot scope a map to some legal entities: "+
				"every map syncs the companies of its link. Choose them with company blocks of link %q and leave the company out of the filter.",
				m.Address, ref.Name, m.Link.Name),
			Subject: &rng,
		})
	}
}
