package config

import (
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
	}
	for _, c := range bySource(l.cfg.Companies) {
		if c.Bootstrap != nil {
			l.checkFilter(c.Bootstrap.WhereExpr, filter.Dataverse)
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
