package mapping

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/filter"
)

func TestKeyOf(t *testing.T) {
	key := []string{"accountnumber", "msdyn_company.cdm_companycode"}
	cases := map[string]struct {
		row  filter.MapRow
		want string
	}{
		"both parts":         {row: filter.MapRow{"accountnumber": "C-1 ", "msdyn_company.cdm_companycode": "USMF"}, want: "c-1\x1fusmf"},
		"numbers as text":    {row: filter.MapRow{"accountnumber": 42.0, "msdyn_company.cdm_companycode": "usmf"}, want: "42\x1fusmf"},
		"empty part matches": {row: filter.MapRow{"accountnumber": "", "msdyn_company.cdm_companycode": "USMF"}, want: ""},
		"missing part":       {row: filter.MapRow{"accountnumber": "C-1"}, want: ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := KeyOf(key, tc.row); got != tc.want {
				t.Errorf("KeyOf = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestForUpdate(t *testing.T) {
	c, err := Compile(customers)
	if err != nil {
		t.Fatal(err)
	}
	key := []string{"accountnumber", "msdyn_company.cdm_companycode"}
	toDV := map[string]any{"accountnumber": "C1", "name": "Acme", "msdyn_onholdstatus": "806380000",
		"customertypecode": "3", "msdyn_company.cdm_companycode": "USMF"}
	cases := map[string]struct {
		target, master Side
		out            map[string]any
		want           map[string]any
	}{
		"target is not the master": {target: Dataverse, master: FinOps, out: toDV, want: toDV},
		"Dataverse is the master: keeps its two-way values": {target: Dataverse, master: Dataverse, out: toDV,
			want: map[string]any{"accountnumber": "C1", "name": "Acme", "customertypecode": "3", "msdyn_company.cdm_companycode": "USMF"}},
		"F&O is the master": {target: FinOps, master: FinOps,
			out:  map[string]any{"CustomerAccount": "C1", "CustomerGroupId": "10", "PartyType": "Organization", "dataAreaId": "usmf"},
			want: map[string]any{"PartyType": "Organization", "dataAreaId": "usmf"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, c.ForUpdate(tc.out, tc.target, tc.master, key)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
