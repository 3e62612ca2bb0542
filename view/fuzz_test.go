package view

import (
	"io"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// FuzzDiagnosticText renders a diagnostic over arbitrary source with
// arbitrary offsets: nothing may panic, whatever the range claims.
func FuzzDiagnosticText(f *testing.F) {
	f.Add([]byte(mainSrc), 110, 119, 0, 200)
	f.Add([]byte("a\n\tb\xff\n"), 3, 3, -1, 9)
	f.Fuzz(func(t *testing.T, src []byte, start, end, cstart, cend int) {
		d := &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "s", Detail: "d",
			Subject: &hcl.Range{Filename: "f.dw.hcl", Start: hcl.Pos{Line: 1, Column: 1, Byte: start}, End: hcl.Pos{Byte: end}},
			Context: &hcl.Range{Filename: "f.dw.hcl", Start: hcl.Pos{Byte: cstart}, End: hcl.Pos{Byte: cend}},
		}
		ds := NewDiagnostics(hcl.Diagnostics{d}, map[string][]byte{"f.dw.hcl": src})
		for _, color := range []bool{false, true} {
			if err := (DiagnosticText{W: io.Discard, Color: color, Width: 40}).Write(ds); err != nil {
				t.Fatal(err)
			}
		}
	})
}
