package mapping

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/filter"
)

func str(s string) *string { return &s }

var customers = Map{
	Fields: []Field{
		{FinOps: "CustomerAccount", Dataverse: "accountnumber", Direction: Both},
		{FinOps: "OrganizationName", Dataverse: "name", Direction: ToDataverse},
		{FinOps: "CustomerGroupId", Dataverse: "msdyn_customergroupid.msdyn_groupid", Direction: Both},
		{FinOps: "OnHoldStatus", Dataverse: "msdyn_onholdstatus", Direction: Both,
			ValueMap: map[string]string{"No": "806380000", "Invoice": "806380001", "All": "806380002"}},
		{Dataverse: "customertypecode", Direction: ToDataverse, Default: str("3")},
		{FinOps: "PartyType", Direction: ToFinOps, Default: str("Organization")},
		{FinOps: "LanguageId", Dataverse: "msdyn_languageid", Direction: Both, Default: str("en-us")},
	},
	FinOpsFilter: `((PartyType == "Organization"))`, DataverseFilter: "customertypecode eq 3",
	FinOpsCompany: "dataAreaId", DataverseCompany: "msdyn_company.cdm_companycode",
}

func TestTransforms(t *testing.T) {
	c, err := Compile(customers)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		toDataverse bool
		row         filter.MapRow
		want        map[string]any
		wantErr     string
	}{
		"F&O to Dataverse": {toDataverse: true,
			row: filter.MapRow{"dataAreaId": "usmf", "CustomerAccount": "C1", "OrganizationName": "Acme", "CustomerGroupId": "10",
				"OnHoldStatus": "Invoice", "PartyType": "Organization", "LanguageId": ""},
			want: map[string]any{"accountnumber": "C1", "name": "Acme", "msdyn_customergroupid.msdyn_groupid": "10",
				"msdyn_onholdstatus": "806380001", "customertypecode": "3", "msdyn_languageid": "en-us", "msdyn_company.cdm_companycode": "USMF"}},
		"Dataverse to F&O": {
			row: filter.MapRow{"msdyn_company.cdm_companycode": "USMF", "accountnumber": "C2", "name": "ignored", "msdyn_customergroupid.msdyn_groupid": "20",
				"msdyn_onholdstatus": 806380002.0, "customertypecode": 3.0, "msdyn_languageid": "de"},
			want: map[string]any{"CustomerAccount": "C2", "CustomerGroupId": "20", "OnHoldStatus": "All", "PartyType": "Organization",
				"LanguageId": "de", "dataAreaId": "usmf"}},
		"unmapped value": {toDataverse: true, row: filter.MapRow{"OnHoldStatus": "Never"}, wantErr: `OnHoldStatus → msdyn_onholdstatus: value "Never" has no entry in the value map`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got map[string]any
			var err error
			if tc.toDataverse {
				got, err = c.ToDataverse(tc.row)
			} else {
				got, err = c.ToFinOps(tc.row)
			}
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestFilters(t *testing.T) {
	c, err := Compile(customers)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		finops bool
		row    filter.MapRow
		want   bool
	}{
		"organisation passes":  {finops: true, row: filter.MapRow{"PartyType": "Organization"}, want: true},
		"person filtered out":  {finops: true, row: filter.MapRow{"PartyType": "Person"}, want: false},
		"customer type passes": {row: filter.MapRow{"customertypecode": 3.0}, want: true},
		"null type is out":     {row: filter.MapRow{"customertypecode": nil}, want: false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got bool
			if tc.finops {
				got, err = c.FinOpsSelected(tc.row)
			} else {
				got, err = c.DataverseSelected(tc.row)
			}
			if err != nil || got != tc.want {
				t.Errorf("= %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestCompileRejectsBadFilter(t *testing.T) {
	_, err := Compile(Map{DataverseFilter: "primarycontactid/fullname eq 'x'"})
	if err == nil {
		t.Fatal("a navigation path in a dual-write filter was accepted")
	}
}
