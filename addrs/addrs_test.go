package addrs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	cases := map[string]struct {
		in      string
		want    Address
		wantErr bool
	}{
		"object":         {in: "table_map.customers", want: Address{Object: NewObject(TableMap, "customers")}},
		"instance":       {in: `company.all["USMF"]`, want: Address{Object: Instance(Company, "all", "USMF")}},
		"escaped key":    {in: `company.all["a\"b"]`, want: Address{Object: Instance(Company, "all", `a"b`)}},
		"empty key":      {in: `company.all[""]`, want: Address{Object: Instance(Company, "all", "")}},
		"initial sync":   {in: "initial_sync.table_map.customers", want: Address{Op: InitialSync, Object: NewObject(TableMap, "customers")}},
		"bootstrap":      {in: `bootstrap.company.eu["DEMF"]`, want: Address{Op: Bootstrap, Object: Instance(Company, "eu", "DEMF")}},
		"dashes":         {in: "link.main-eu_2", want: Address{Object: NewObject(Link, "main-eu_2")}},
		"unknown kind":   {in: "tablemap.customers", wantErr: true},
		"no name":        {in: "table_map.", wantErr: true},
		"no dot":         {in: "table_map", wantErr: true},
		"unquoted key":   {in: "company.all[USMF]", wantErr: true},
		"unclosed key":   {in: `company.all["USMF"`, wantErr: true},
		"digit first":    {in: "company.1x", wantErr: true},
		"op only":        {in: "initial_sync.", wantErr: true},
		"empty":          {in: "", wantErr: true},
		"space in label": {in: "table_map.a b", wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if got.String() != tc.in {
				t.Errorf("String() = %q, want %q", got.String(), tc.in)
			}
		})
	}
}

func TestContains(t *testing.T) {
	all := NewObject(Company, "all")
	usmf := Instance(Company, "all", "USMF")
	cases := []struct {
		target, obj Object
		want        bool
	}{
		{all, usmf, true}, {usmf, usmf, true}, {usmf, Instance(Company, "all", "DEMF"), false},
		{usmf, all, false}, {all, all, true}, {all, NewObject(Company, "allx"), false},
		{NewObject(TableMap, "all"), usmf, false},
	}
	for _, tc := range cases {
		if got := tc.target.Contains(tc.obj); got != tc.want {
			t.Errorf("%s contains %s = %v, want %v", tc.target, tc.obj, got, tc.want)
		}
	}
}

func TestObjectOf(t *testing.T) {
	for in, want := range map[string]string{
		"initial_sync.table_map.customers": "table_map.customers",
		`bootstrap.company.eu["DEMF"]`:     `company.eu["DEMF"]`,
		"link.main":                        "link.main",
		"not an address":                   "not an address",
	} {
		if got := ObjectOf(in); got != want {
			t.Errorf("ObjectOf(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Bootstrap.Of("company.USMF"); got != "bootstrap.company.USMF" {
		t.Errorf("Bootstrap.Of = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"table_map.customers", `company.all["USMF"]`, "initial_sync.table_map.x", `bootstrap.company.a["\u00e9"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(a.String())
		if err != nil || again != a {
			t.Errorf("%q: %q does not read back the same (%v)", s, a.String(), err)
		}
	})
}

func TestNameOf(t *testing.T) {
	for in, want := range map[string]string{"initial_sync.table_map.customers": "customers", `company.eu["DEMF"]`: "eu", "link.main": "main", "x": "x"} {
		if got := NameOf(in); got != want {
			t.Errorf("NameOf(%q) = %q, want %q", in, got, want)
		}
	}
}
