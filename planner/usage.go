package planner

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/numbering"
)

// sequenceUsage warns about every declared F&O number sequence that has
// used more than numbering.UsageWarnPercent of its range: when it runs out,
// F&O stops creating the rows it numbers.
func sequenceUsage(cfg *config.Config, lives map[string]*Live) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, addr := range sortedKeys(cfg.NumberSequences) {
		ns := cfg.NumberSequences[addr]
		f := ns.FinOps
		if f == nil || ns.Link == nil || lives[ns.Link.Name] == nil {
			continue
		}
		for _, s := range lives[ns.Link.Name].Sequences {
			if !strings.EqualFold(s.Code, f.Code) || scopeName(s.ScopeType) != f.Scope ||
				(f.Scope != "shared" && !strings.EqualFold(s.ScopeValue, f.Company)) {
				continue
			}
			u := numbering.FinOpsUsage(s.Next, s.Smallest, s.Largest)
			if !u.Warn {
				continue
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Number sequence nearly used up",
				Detail: fmt.Sprintf("%s: the F&O sequence %s%s has used %.0f%% of its range (next %d of %d to %d, %d left). Raise largest, or plan a new range before F&O stops numbering rows.",
					addr, f.Code, companySuffix(f.Company), u.Percent, s.Next, s.Smallest, s.Largest, u.Left),
				Subject: f.DeclRange.Ptr(),
			})
		}
	}
	return diags
}

func companySuffix(company string) string {
	if company == "" {
		return ""
	}
	return " (" + company + ")"
}
