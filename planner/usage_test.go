package planner

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestSequenceUsage(t *testing.T) {
	tests := map[string]struct {
		next int64
		want string // the warning's detail, or "" for none
	}{
		"fresh":         {next: 17},
		"at 80 percent": {next: 4000},
		"over 80":       {next: 4500, want: "has used 90% of its range (next 4500 of 1 to 4999, 500 left)"},
		"exhausted":     {next: 5000, want: "has used 100% of its range (next 5000 of 1 to 4999, 0 left)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			l := baseLive()
			l.Sequences[0].Next = tc.next
			_, diags := Build(loadConfig(t, baseConfig), map[string]*Live{"main": l}, nil, Options{})
			var got []*hcl.Diagnostic
			for _, d := range diags {
				if d.Summary == "Number sequence nearly used up" {
					got = append(got, d)
				}
			}
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("unexpected warning: %s", got[0].Detail)
			case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0].Detail, tc.want)):
				t.Errorf("want one warning containing %q, got %v", tc.want, got)
			case tc.want != "" && got[0].Severity != hcl.DiagWarning:
				t.Errorf("severity %v, want a warning", got[0].Severity)
			}
		})
	}
}
