package faults

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		spec    string
		want    string
		wantErr string
	}{
		"empty":         {"", "seed:1,retry-after:1", ""},
		"full":          {"503:0.1, 429:0.05,drop:0.02,latency:20ms,seed:7,retry-after:3", "503:0.1,429:0.05,drop:0.02,latency:20ms,seed:7,retry-after:3", ""},
		"bad status":    {"200:0.1", "", "unknown fault"},
		"bad rate":      {"503:2", "", "rate must be"},
		"missing value": {"drop", "", "want NAME:VALUE"},
		"bad latency":   {"latency:soon", "", "invalid duration"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			fs, err := Parse(tc.spec)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, fs.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"503:0.1,drop:0.2", "latency:1s", "seed:-1", "429:1,retry-after:9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(fs.String())
		if err != nil || again.String() != fs.String() {
			t.Errorf("round trip of %q: %q, %v", s, fs.String(), err)
		}
	})
}

// TestRandomFaultsAreSeeded checks that the same spec gives the same sequence of faults.
func TestRandomFaultsAreSeeded(t *testing.T) {
	t.Parallel()
	run := func() []string {
		spec, _ := Parse("503:0.3,429:0.2,seed:42")
		f := NewInjector(spec)
		var out []string
		for i := 0; i < 20; i++ {
			_, kind, _ := f.Decide()
			out = append(out, kind)
		}
		return out
	}
	a, b := run(), run()
	if diff := cmp.Diff(a, b); diff != "" || strings.Join(a, "") == "" {
		t.Errorf("runs differ or inject nothing (-first +second):\n%s", diff)
	}
}
