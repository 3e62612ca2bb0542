package planner

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/providers"
)

// TestHealthChecks: each health check the snapshot can answer reports its
// code where the condition holds, and a healthy pair reports none.
func TestHealthChecks(t *testing.T) {
	cfg := loadConfig(t, baseConfig)
	cases := map[string]struct {
		edit func(l *Live)
		want []string
	}{
		"healthy":    {},
		"DWDVEV1003": {edit: func(l *Live) { l.Companies = nil }, want: []string{"DWDVEV1003"}},
		"DWFOEV1003": {edit: func(l *Live) { l.FinOpsLegalEntities = []string{"DEMF"} }, want: []string{"DWFOEV1003"}},
		"DWDVEV1007": {edit: func(l *Live) { l.Companies[0].DefaultOwningTeam = "" }, want: []string{"DWDVEV1007"}},
		"DWDVEV1004": {edit: func(l *Live) {
			l.Link.DataverseEnvironmentID, l.DataverseOrganization.EnvironmentID = "env-prod", "env-sandbox"
		}, want: []string{"DWDVEV1004"}},
		"DWFOEV1004": {edit: func(l *Live) {
			l.ProjectConfigurations = []providers.ProjectConfiguration{{ProjectName: "p", ExternalEnvironmentURL: "https://contoso-prod.crm.dynamics.com"}}
		}, want: []string{"DWFOEV1004"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			l := baseLive()
			l.FinOpsLegalEntities = []string{"USMF"}
			if tc.edit != nil {
				tc.edit(l)
			}
			var got []string
			for _, d := range HealthChecks(cfg, map[string]*Live{"main": l}) {
				code, _, _ := strings.Cut(strings.TrimPrefix(d.Summary, "Health check "), ":")
				got = append(got, code)
				if d.Subject == nil {
					t.Errorf("%s has no source range", d.Summary)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
			}
		})
	}
}
