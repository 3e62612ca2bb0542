package pgtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

func TestSweep(t *testing.T) {
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		owner    string // contents of owner.pid; "" for none
		wantKept bool
	}{
		"owner gone":     {owner: strconv.Itoa(gone.Process.Pid), wantKept: false},
		"owner alive":    {owner: strconv.Itoa(os.Getppid()), wantKept: true},
		"this process":   {owner: strconv.Itoa(os.Getpid()), wantKept: true},
		"no owner file":  {owner: "", wantKept: true},
		"unreadable pid": {owner: "x", wantKept: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			base := t.TempDir()
			dir := filepath.Join(base, dirPrefix+"case")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if tc.owner != "" {
				if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(tc.owner), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			sweep(base)
			_, err := os.Stat(dir)
			if kept := err == nil; kept != tc.wantKept {
				t.Errorf("directory kept = %v, want %v", kept, tc.wantKept)
			}
		})
	}
}
