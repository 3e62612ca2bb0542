package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTextSourceRange checks that byte offsets inside a string value map to
// the right source columns through escapes and template sequences.
func TestTextSourceRange(t *testing.T) {
	tests := map[string]struct {
		attr       string // the filter's finops attribute, as written
		start, end int    // byte offsets in the value
		want       string // the source text the range covers
	}{
		"plain":             {`"((PartyType == \"Organization\"))"`, 2, 11, `PartyType`},
		"after escapes":     {`"((PartyType == \"Organization\"))"`, 15, 29, `\"Organization\"`},
		"escaped backslash": {`"(d <= 23\\06\\2021)"`, 6, 16, `23\\06\\2021`},
		"interpolation":     {`"((CURRENCYCODE != \"${local.code}\"))"`, 19, 22, `${local.code}`},
		"after interp":      {`"((A == \"${local.code}\") && (B == 1))"`, 17, 25, `(B == 1)`},
		"template escape":   {`"(X == \"$${y}\")"`, 7, 11, `$${y}`},
		"unicode escape":    {`"(N == \"\u00e9t\u00e9\")"`, 6, 13, `\"\u00e9t\u00e9\"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			src := "locals {\n  code = \"999\"\n}\ntable_map \"m\" {\n  finops    = \"E\"\n  dataverse = \"es\"\n  filter {\n    finops = " + tc.attr + "\n  }\n}\n"
			dir := writeDir(t, map[string]string{"m.dw.hcl": src})
			cfg, _ := Load(dir, LoadOptions{})
			m := cfg.TableMaps["table_map.m"]
			if m == nil || m.Filter == nil || m.Filter.FinOps == nil {
				t.Fatal("filter not decoded")
			}
			text := m.Filter.FinOps
			file := cfg.Sources[text.File]
			rng := text.SourceRange(file, tc.start, tc.end)
			got := string(file[rng.Start.Byte:rng.End.Byte])
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("value %q [%d:%d] (-want +got):\n%s", text.Value, tc.start, tc.end, diff)
			}
		})
	}
}
