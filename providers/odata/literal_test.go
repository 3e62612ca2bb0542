package odata

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/providers"
)

func TestKeyPredicate(t *testing.T) {
	cases := map[string]struct {
		key     providers.Key
		want    string
		wantErr bool
	}{
		"primary id": {
			key:  providers.Key{{Value: providers.GUID("78914942-34CB-ED11-B596-0022481D68CD")}},
			want: "(78914942-34cb-ed11-b596-0022481d68cd)",
		},
		"single string": {
			key:  providers.Key{{Name: "accountnumber", Value: "A1"}},
			want: "(accountnumber='A1')",
		},
		"quote doubled": {
			key:  providers.Key{{Name: "lastname", Value: "O'Bryan"}},
			want: "(lastname='O''Bryan')",
		},
		"space and slash escaped": {
			key:  providers.Key{{Name: "name", Value: "a b/c#"}},
			want: "(name='a%20b%2Fc%23')",
		},
		"composite with company and integer": {
			key: providers.Key{{Name: "dataAreaId", Value: "usmf"}, {Name: "CustomerAccount", Value: "US-001"},
				{Name: "n", Value: 2}},
			want: "(dataAreaId='usmf',CustomerAccount='US-001',n=2)",
		},
		"lookup guid part": {
			key: providers.Key{{Name: "accountnumber", Value: "A1"},
				{Name: "_msdyn_company_value", Value: providers.GUID("9a1b0000-0000-0000-0000-000000000001")}},
			want: "(accountnumber='A1',_msdyn_company_value=9a1b0000-0000-0000-0000-000000000001)",
		},
		"enum part": {
			key:  providers.Key{{Name: "ScopeType", Value: providers.Enum{Type: "Microsoft.Dynamics.DataEntities.NumberSequenceType", Member: "DataArea"}}},
			want: "(ScopeType=Microsoft.Dynamics.DataEntities.NumberSequenceType'DataArea')",
		},
		"json number": {
			key:  providers.Key{{Name: "k", Value: json.Number("12")}},
			want: "(k=12)",
		},
		"empty":            {key: nil, wantErr: true},
		"bad guid":         {key: providers.Key{{Value: providers.GUID("nope")}}, wantErr: true},
		"unnamed in pair":  {key: providers.Key{{Value: "a"}, {Name: "b", Value: "c"}}, wantErr: true},
		"unsupported type": {key: providers.Key{{Name: "x", Value: []int{1}}}, wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := KeyPredicate(tc.key)
			if (err != nil) != tc.wantErr {
				t.Fatalf("error = %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("KeyPredicate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodeQuery(t *testing.T) {
	cases := map[string]struct {
		q    providers.Query
		want string
	}{
		"all options": {
			q: providers.Query{Select: []string{"name", "accountnumber"}, Filter: "statecode eq 0 and name eq 'A&B'",
				OrderBy: []string{"name asc"}, Top: 10},
			want: "$select=name,accountnumber&$filter=statecode%20eq%200%20and%20name%20eq%20'A%26B'&$orderby=name%20asc&$top=10",
		},
		"plus and hash escaped": {
			q:    providers.Query{Filter: "x eq 'a+b#c'"},
			want: "$filter=x%20eq%20'a%2Bb%23c'",
		},
		"nothing": {q: providers.Query{}, want: ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Encode(QueryParams(tc.q))); diff != "" {
				t.Errorf("Encode (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEntityKey(t *testing.T) {
	cases := map[string]struct {
		uri      string
		set, key string
		ok       bool
		guid     providers.GUID
	}{
		"guid": {
			uri: "https://contoso.crm.dynamics.com/api/data/v9.2/accounts(aa110000-0000-0000-0000-000000000001)",
			set: "accounts", key: "aa110000-0000-0000-0000-000000000001", ok: true, guid: "aa110000-0000-0000-0000-000000000001",
		},
		"alternate key": {
			uri: "https://contoso.crm.dynamics.com/api/data/v9.2/contacts(lastname='Doe',emailaddress1='jd@example.com')",
			set: "contacts", key: "lastname='Doe',emailaddress1='jd@example.com'", ok: true,
		},
		"metadata key": {
			uri: "https://x/api/data/v9.2/EntityDefinitions(5a5a0000-0000-0000-0000-000000000001)/Keys(6b6b0000-0000-0000-0000-000000000002)",
			set: "Keys", key: "6b6b0000-0000-0000-0000-000000000002", ok: true, guid: "6b6b0000-0000-0000-0000-000000000002",
		},
		"no key": {uri: "https://x/api/data/v9.2/accounts"},
		"empty":  {uri: ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			set, key, ok := EntityKey(tc.uri)
			if diff := cmp.Diff([]any{tc.set, tc.key, tc.ok}, []any{set, key, ok}); diff != "" {
				t.Errorf("EntityKey (-want +got):\n%s", diff)
			}
			if got := EntityGUID(tc.uri); got != tc.guid {
				t.Errorf("EntityGUID = %q, want %q", got, tc.guid)
			}
		})
	}
}

func FuzzEntityKey(f *testing.F) {
	f.Add("https://x/api/data/v9.2/accounts(aa110000-0000-0000-0000-000000000001)")
	f.Add("contacts(a='(',b=')')")
	f.Add("(")
	f.Fuzz(func(t *testing.T, uri string) {
		set, key, ok := EntityKey(uri)
		if !ok && (set != "" || key != "") {
			t.Fatalf("not ok but returned %q %q", set, key)
		}
		_ = EntityGUID(uri)
	})
}
