package filter

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEqualities(t *testing.T) {
	cases := map[string]struct {
		parse func(string) (Expr, []Diagnostic)
		src   string
		want  []map[string]any
		ok    bool
	}{
		"one key": {ParseWebAPI, "accountnumber eq 'A1'", []map[string]any{{"accountnumber": "A1"}}, true},
		"keys ored": {ParseWebAPI, "(accountnumber eq 'A1' and _msdyn_company_value eq 5e0a0000-0000-0000-0000-00000000000A) or (accountnumber eq 'A2' and statecode eq 0)",
			[]map[string]any{{"accountnumber": "A1", "_msdyn_company_value": "5e0a0000-0000-0000-0000-00000000000a"}, {"accountnumber": "A2", "statecode": int64(0)}}, true},
		"literal first":  {ParseWebAPI, "'A1' eq accountnumber", []map[string]any{{"accountnumber": "A1"}}, true},
		"extra terms":    {ParseWebAPI, "accountnumber eq 'A1' and name ne 'x'", []map[string]any{{"accountnumber": "A1"}}, true},
		"an open branch": {ParseWebAPI, "accountnumber eq 'A1' or name ne 'x'", nil, false},
		"no equality":    {ParseWebAPI, "creditlimit gt 5", nil, false},
		"not":            {ParseWebAPI, "not (accountnumber eq 'A1')", nil, false},
		"null":           {ParseWebAPI, "accountnumber eq null", []map[string]any{{"accountnumber": nil}}, true},
		"f&o odata":      {ParseFinOpsOData, "dataAreaId eq 'usmf' and CustomerAccount eq 'US-001'", []map[string]any{{"dataAreaId": "usmf", "CustomerAccount": "US-001"}}, true},
		"and of an or": {ParseWebAPI, "(customertypecode eq 3) and ((accountnumber eq 'A1') or (accountnumber eq 'A2'))",
			[]map[string]any{{"customertypecode": int64(3), "accountnumber": "A1"}, {"customertypecode": int64(3), "accountnumber": "A2"}}, true},
		"and of an open or": {ParseWebAPI, "accountnumber eq 'A1' and (name eq 'x' or creditlimit gt 5)", []map[string]any{{"accountnumber": "A1"}}, true},
		"f&o wildcard":      {ParseFinOpsOData, "CustomerAccount eq 'US-*'", nil, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e, diags := tc.parse(tc.src)
			if HasErrors(diags) {
				t.Fatal(diags)
			}
			got, ok := Equalities(e)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
