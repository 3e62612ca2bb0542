package emulator

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompanyOwnerTeams(t *testing.T) {
	env, _, _ := linked(t, Options{})
	root := env.do("dv", "GET", "/api/data/v9.2/teams?$select=teamid&$filter="+url.QueryEscape("name eq 'org'"), "").json(t)["value"].([]any)[0].(map[string]any)["teamid"].(string)
	cases := map[string]struct {
		body     string // "" for the company the link made
		code     string
		wantTeam string
	}{
		"a company the link adds":              {code: "USMF", wantTeam: "USMF DW"},
		"a company created enabled":            {body: `{"cdm_companycode":"NEW1","cdm_name":"New one","cdm_isenabledfordualwrite":true}`, code: "NEW1", wantTeam: "NEW1 DW"},
		"a company with its own owning team":   {body: `{"cdm_companycode":"NEW2","cdm_name":"New two","cdm_isenabledfordualwrite":true,"cdm_defaultowningteam@odata.bind":"/teams(` + root + `)"}`, code: "NEW2", wantTeam: "org"},
		"a company not enabled for dual-write": {body: `{"cdm_companycode":"NEW3","cdm_name":"New three","cdm_isenabledfordualwrite":false}`, code: "NEW3"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.body != "" {
				if r := env.do("dv", "POST", "/api/data/v9.2/cdm_companies", tc.body); r.status != http.StatusNoContent {
					t.Fatalf("create: %d %s", r.status, r.body)
				}
			}
			c := env.do("dv", "GET", "/api/data/v9.2/cdm_companies?$select=_cdm_defaultowningteam_value&$filter="+url.QueryEscape("cdm_companycode eq '"+tc.code+"'"), "")
			teamID, _ := c.json(t)["value"].([]any)[0].(map[string]any)["_cdm_defaultowningteam_value"].(string)
			got := map[string]string{}
			if teamID != "" {
				team := env.do("dv", "GET", "/api/data/v9.2/teams("+teamID+")?$select=name,teamtype,_businessunitid_value", "").json(t)
				got["team"] = team["name"].(string)
				bu := env.do("dv", "GET", "/api/data/v9.2/businessunits("+team["_businessunitid_value"].(string)+")?$select=name", "").json(t)
				got["business unit"] = bu["name"].(string)
			}
			want := map[string]string{}
			switch tc.wantTeam {
			case "":
			case "org":
				want = map[string]string{"team": "org", "business unit": "org"}
			default:
				want = map[string]string{"team": tc.wantTeam, "business unit": tc.code}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("default owning team (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFilterOnPrimaryID(t *testing.T) {
	env, _, _ := linked(t, Options{})
	c := env.do("dv", "GET", "/api/data/v9.2/cdm_companies?$select=_cdm_defaultowningteam_value&$filter="+url.QueryEscape("cdm_companycode eq 'USMF'"), "")
	team := c.json(t)["value"].([]any)[0].(map[string]any)["_cdm_defaultowningteam_value"].(string)
	r := env.do("dv", "GET", "/api/data/v9.2/teams?$select=teamid,name&$filter="+url.QueryEscape("teamid eq "+team+" or teamid eq 00000000-0000-0000-0000-000000000001"), "")
	if r.status != http.StatusOK {
		t.Fatalf("filter on the primary id: %d %s", r.status, r.body)
	}
	rows := r.json(t)["value"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["name"] != "USMF DW" {
		t.Errorf("teams = %v", rows)
	}
}
