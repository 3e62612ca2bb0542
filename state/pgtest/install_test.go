package pgtest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindBinDir(t *testing.T) {
	tests := map[string]struct {
		versions map[string][]string // version -> programs in its bin
		want     string              // version whose bin is chosen; "" for none
	}{
		"newest wins":       {versions: map[string][]string{"13": {"initdb", "postgres"}, "15": {"initdb", "postgres"}, "9": {"initdb", "postgres"}}, want: "15"},
		"incomplete newer":  {versions: map[string][]string{"13": {"initdb", "postgres"}, "16": {"initdb"}}, want: "13"},
		"nothing installed": {want: ""},
		"numeric order":     {versions: map[string][]string{"9": {"initdb", "postgres"}, "10": {"initdb", "postgres"}}, want: "10"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Setenv("PATH", "")
			root := t.TempDir()
			for v, progs := range tc.versions {
				bin := filepath.Join(root, v, "bin")
				if err := os.MkdirAll(bin, 0o755); err != nil {
					t.Fatal(err)
				}
				for _, p := range progs {
					if err := os.WriteFile(filepath.Join(bin, p), nil, 0o755); err != nil {
						t.Fatal(err)
					}
				}
			}
			want := ""
			if tc.want != "" {
				want = filepath.Join(root, tc.want, "bin")
			}
			if got := findBinDirIn(root); got != want {
				t.Errorf("findBinDirIn = %q, want %q", got, want)
			}
		})
	}
}
