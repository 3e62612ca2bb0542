package config

import (
	"strings"
	"testing"
)

// TestRequiredVersion checks dwctl.required_version against the running version: constraints as
// Terraform writes them, pre-release builds checked as their release, development builds not
// checked, a malformed constraint an error on the attribute's line.
func TestRequiredVersion(t *testing.T) {
	cases := map[string]struct {
		constraint, running string
		want                string // a summary, or "" for no diagnostic
	}{
		"met":                {">= 0.1, < 2", "0.4.0", ""},
		"too old":            {">= 0.5", "0.4.0", "Unsupported dwctl version"},
		"too new":            {"< 0.4", "0.4.0", "Unsupported dwctl version"},
		"pessimistic met":    {"~> 0.4.1", "0.4.9", ""},
		"pessimistic broken": {"~> 0.4.1", "0.5.0", "Unsupported dwctl version"},
		"pre-release":        {">= 0.4", "0.4.0-dev", ""},
		"leading v":          {"= 0.4.0", "v0.4.0", ""},
		"development build":  {">= 9", "(devel)", ""},
		"not checked":        {">= 9", "", ""},
		"malformed":          {"at least 0.1", "0.4.0", "Invalid required_version"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := writeDir(t, map[string]string{"main.dw.hcl": "dwctl {\n  required_version = \"" + tc.constraint + "\"\n}\n"})
			_, diags := Load(dir, LoadOptions{Version: tc.running})
			var got []string
			for _, d := range diags {
				got = append(got, d.Summary)
				if d.Subject == nil || d.Subject.Start.Line != 2 {
					t.Errorf("%s: subject %v, want line 2", d.Summary, d.Subject)
				}
			}
			if strings.Join(got, "; ") != tc.want {
				t.Errorf("diagnostics %q, want %q", got, tc.want)
			}
		})
	}
}
