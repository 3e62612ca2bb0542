package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
)

func TestNewLogger(t *testing.T) {
	tests := map[string]struct {
		env        []string
		toFile     bool
		wantLevel  hclog.Level
		wantStderr string
	}{
		"unset is off":     {wantLevel: hclog.Off},
		"trace":            {env: []string{"DWCTL_LOG=trace"}, wantLevel: hclog.Trace},
		"upper case":       {env: []string{"DWCTL_LOG=DEBUG"}, wantLevel: hclog.Debug},
		"error":            {env: []string{"DWCTL_LOG=error"}, wantLevel: hclog.Error},
		"bad level":        {env: []string{"DWCTL_LOG=loud"}, wantLevel: hclog.Warn, wantStderr: `dwctl: DWCTL_LOG="loud" is not a level (trace, debug, info, warn, error, off); using warn` + "\n"},
		"path to file":     {env: []string{"DWCTL_LOG=info"}, toFile: true, wantLevel: hclog.Info},
		"path without log": {toFile: true, wantLevel: hclog.Off},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "dwctl.log")
			env := tc.env
			if tc.toFile {
				env = append(env, "DWCTL_LOG_PATH="+path)
			}
			var stderr bytes.Buffer
			log, closeLog := newLogger(env, &stderr)
			if got := log.GetLevel(); got != tc.wantLevel {
				t.Errorf("level %v, want %v", got, tc.wantLevel)
			}
			log.Named("sub").Error("something failed", "table", "accounts")
			closeLog()
			logged := stderr.String()
			if tc.toFile && tc.wantLevel != hclog.Off {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				logged = string(b)
			}
			wantLine := tc.wantLevel != hclog.Off
			if got := strings.Contains(logged, "[ERROR] dwctl.sub: something failed: table=accounts"); got != wantLine {
				t.Errorf("log line written = %v, want %v; got %q", got, wantLine, logged)
			}
			firstLine, _, _ := strings.Cut(stderr.String(), "\n")
			if tc.wantStderr != "" {
				if d := cmp.Diff(tc.wantStderr, firstLine+"\n"); d != "" {
					t.Errorf("stderr (-want +got):\n%s", d)
				}
			}
		})
	}
}
