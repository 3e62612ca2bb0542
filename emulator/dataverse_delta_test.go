package emulator

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDeltaQuery is the exchange of protocols.md §5.5.
func TestDeltaQuery(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{TokenLifetime: 30 * 24 * time.Hour})
	usmf := createCompany(t, env, "USMF")
	gone := createCompany(t, env, "GONE")
	first := env.do("dv", "GET", "/api/data/v9.2/cdm_companies?$select=cdm_companycode,cdm_name", "", "Prefer", "odata.track-changes")
	body := first.json(t)
	if first.header.Get("Preference-Applied") != "odata.track-changes" || len(body["value"].([]any)) != 2 {
		t.Fatalf("initial: %v %s", first.header, first.body)
	}
	link := body["@odata.deltaLink"].(string)
	if !strings.Contains(link, "?$select=cdm_companycode,cdm_name&$deltatoken=") {
		t.Fatalf("deltaLink %s", link)
	}
	demf := createCompany(t, env, "DEMF")
	env.do("dv", "PATCH", "/api/data/v9.2/cdm_companies("+usmf+")", `{"cdm_name":"Contoso Entertainment System USA"}`)
	env.do("dv", "DELETE", "/api/data/v9.2/cdm_companies("+gone+")", "")
	r := env.do("dv", "GET", strings.TrimPrefix(link, env.info.DataverseURL), "")
	delta := r.json(t)
	var got []string
	for _, v := range delta["value"].([]any) {
		row := v.(map[string]any)
		if row["reason"] == "deleted" {
			got = append(got, "deleted "+row["id"].(string))
			continue
		}
		got = append(got, "changed "+row["cdm_companyid"].(string))
	}
	if diff := cmp.Diff([]string{"changed " + demf, "changed " + usmf, "deleted " + gone}, got); diff != "" {
		t.Errorf("delta (-want +got):\n%s", diff)
	}
	if !strings.HasSuffix(delta["@odata.context"].(string), "$metadata#cdm_companies(cdm_companycode,cdm_name)/$delta") {
		t.Errorf("context %v", delta["@odata.context"])
	}
	next := strings.TrimPrefix(delta["@odata.deltaLink"].(string), env.info.DataverseURL)
	if n := env.do("dv", "GET", next, "").json(t)["value"].([]any); len(n) != 0 {
		t.Errorf("no changes since: %v", n)
	}
	tok := next[strings.Index(next, "$deltatoken=")+len("$deltatoken="):]
	if c := env.do("dv", "GET", "/api/data/v9.2/cdm_companies/$count?$deltatoken="+tok, ""); string(c.body) != "0" {
		t.Errorf("$count of changes: %s", c.body)
	}
	cases := map[string]struct {
		path string
		want int
	}{
		"filter refused":  {"/api/data/v9.2/cdm_companies?$filter=cdm_name eq 'x'", 400},
		"top refused":     {"/api/data/v9.2/cdm_companies?$top=1", 400},
		"malformed token": {"/api/data/v9.2/cdm_companies?$deltatoken=abc", 400},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if r := env.do("dv", "GET", tc.path, "", "Prefer", "odata.track-changes"); r.status != tc.want {
				t.Errorf("%d, want %d: %s", r.status, tc.want, r.body)
			}
		})
	}
	env.e.skew.Add(int64(8 * 24 * time.Hour))
	u, _ := url.QueryUnescape(tok)
	if r := env.do("dv", "GET", "/api/data/v9.2/cdm_companies?$deltatoken="+url.QueryEscape(u), ""); r.status != 400 {
		t.Errorf("expired token: %d", r.status)
	}
}
