package dataverse

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMappingJSON(t *testing.T) {
	cases := map[string]struct{ in, want string }{
		"plain document":  {in: `{"name":"m","legs":[]}`, want: `{"name":"m","legs":[]}`},
		"double encoded":  {in: `"{\"name\":\"m\"}"`, want: `{"name":"m"}`},
		"not json":        {in: `legs: none`, want: `"legs: none"`},
		"empty":           {in: ``, want: ``},
		"quoted non-json": {in: `"abc"`, want: `"abc"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, string(mappingJSON(tc.in))); diff != "" {
				t.Errorf("mappingJSON (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzMappingJSON(f *testing.F) {
	f.Add(`{"legs":[]}`)
	f.Add(`"{\"a\":1}"`)
	f.Fuzz(func(t *testing.T, s string) {
		out := mappingJSON(s)
		if len(out) > 0 && !json.Valid(out) {
			t.Fatalf("mappingJSON(%q) = %q is not JSON", s, out)
		}
	})
}
