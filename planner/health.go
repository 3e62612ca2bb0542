package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/providers"
)

// HealthChecks runs the configuration health checks of the dual-write
// service (dual-write.md §1.7) that the snapshot can answer, as warnings
// carrying the service's code, what it means and the fix; plan and
// validate -live show them. Not checked, because nothing dwctl reads shows
// them: the ApiHub connections (DWDVEV1001, DWFOEV1001), the connector
// and service flights (DWDVEV1002, DWFOEV1005) and a renamed default team
// (DWFOEV1006).
func HealthChecks(cfg *config.Config, lives map[string]*Live) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, name := range sortedKeys(lives) {
		l, cl := lives[name], cfg.Links[name]
		if l == nil || cl == nil || l.Link == nil {
			continue
		}
		warn := func(code, summary, detail string, subject hcl.Range) {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Health check " + code + ": " + summary,
				Detail: cl.Addr() + ": " + detail, Subject: subject.Ptr()})
		}
		dv := map[string]providers.Company{}
		for _, c := range l.Companies {
			dv[strings.ToUpper(c.Code)] = c
		}
		for _, le := range l.LegalEntities {
			code := strings.ToUpper(le.Code)
			at := companyRange(cfg, name, code, cl.DeclRange)
			company, inDataverse := dv[code]
			if !inDataverse {
				warn("DWDVEV1003", "linked company missing in Dataverse",
					fmt.Sprintf("the link has the legal entity %s, but Dataverse has no cdm_company %s: rows of %s cannot sync. "+
						"Remove the legal entity from the link (take it out of the configuration and apply) or reset the link.", code, code, code), at)
				continue
			}
			if l.FinOpsLegalEntities != nil && !slices.Contains(l.FinOpsLegalEntities, code) {
				warn("DWFOEV1003", "linked company missing in F&O",
					fmt.Sprintf("the link has the legal entity %s, but F&O has none: rows of %s cannot sync. "+
						"Remove it from the link, or create it in F&O (company create_legal_entity = true).", code, code), at)
			}
			if company.DefaultOwningTeam == "" {
				warn("DWDVEV1007", "company without a default owning team",
					fmt.Sprintf("the Dataverse company %s has no default owning team (cdm_defaultowningteam): the service's initial sync "+
						"and the rows it creates for %s need one. Set owning_team on company %s, and give that team security roles.", code, code, code), at)
			}
		}
		if l.Copied() {
			warn("DWDVEV1004", "stale runtime configuration in Dataverse",
				fmt.Sprintf("Dataverse's dual-write runtime configuration (msdyn_dualwriteruntimeconfig) belongs to the environment %s, not to %s "+
					"(a copied database): writes to mapped tables fail. The plan relinks the pair, which deletes it.",
					l.Link.DataverseEnvironmentID, l.DataverseOrganization.EnvironmentID), cl.DeclRange)
		}
		if stale := staleRuntimeHosts(l, desiredLink(cl).Desired.Link.Dataverse); len(stale) > 0 && !l.Copied() {
			warn("DWFOEV1004", "stale runtime configuration in F&O",
				fmt.Sprintf("F&O's dual-write runtime configuration (DualWriteProjectConfiguration) names another Dataverse environment (%s), "+
					"as after a database refresh. The plan relinks the pair, which deletes it.", strings.Join(stale, ", ")), cl.DeclRange)
		}
	}
	return diags
}

// companyRange is where the configuration declares a company of a link,
// else the link.
func companyRange(cfg *config.Config, link, code string, fallback hcl.Range) hcl.Range {
	for _, addr := range sortedKeys(cfg.Companies) {
		c := cfg.Companies[addr]
		if c.Link != nil && c.Link.Name == link && strings.EqualFold(c.ID, code) {
			return c.DeclRange
		}
	}
	return fallback
}
