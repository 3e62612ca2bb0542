package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteFileAtomic(t *testing.T) {
	tests := map[string]struct {
		mode    os.FileMode
		symlink bool
	}{
		"keeps mode":      {mode: 0o640},
		"follows symlink": {mode: 0o600, symlink: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "a.dw.hcl")
			if err := os.WriteFile(target, []byte("old"), tc.mode); err != nil {
				t.Fatal(err)
			}
			path := target
			if tc.symlink {
				path = filepath.Join(dir, "link.dw.hcl")
				if err := os.Symlink("a.dw.hcl", path); err != nil {
					t.Fatal(err)
				}
			}
			if err := writeFileAtomic(path, []byte("new")); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(target)
			info, _ := os.Lstat(path)
			tinfo, _ := os.Stat(target)
			entries, _ := os.ReadDir(dir)
			want := 1
			if tc.symlink {
				want = 2
				if info.Mode()&os.ModeSymlink == 0 {
					t.Error("the symlink was replaced by a file")
				}
			}
			if d := cmp.Diff("new", string(got)); d != "" {
				t.Errorf("content (-want +got):\n%s", d)
			}
			if tinfo.Mode().Perm() != tc.mode {
				t.Errorf("mode %v, want %v", tinfo.Mode().Perm(), tc.mode)
			}
			if len(entries) != want {
				t.Errorf("%d files in the directory, want %d (temporary file left behind?)", len(entries), want)
			}
		})
	}
}
