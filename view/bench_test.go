package view

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// BenchmarkDiagnostics renders 1,000 diagnostics over one 500-block file,
// as validate does for a large configuration full of mistakes: the file is
// parsed once for block context, not once per diagnostic.
func BenchmarkDiagnostics(b *testing.B) {
	var src strings.Builder
	var diags hcl.Diagnostics
	for i := range 500 {
		start := src.Len()
		fmt.Fprintf(&src, "table_map \"m%d\" {\n  link = link.mian\n  finops = \"E%d\"\n}\n", i, i)
		line := 4*i + 2
		for j := range 2 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagnosticSeverity(1 + j), Summary: "Reference to undeclared link", Detail: "Declare it.",
				Subject: &hcl.Range{Filename: "big.dw.hcl",
					Start: hcl.Pos{Line: line, Column: 10, Byte: start + len(fmt.Sprintf("table_map \"m%d\" {\n", i)) + 9},
					End:   hcl.Pos{Line: line, Column: 19, Byte: start + len(fmt.Sprintf("table_map \"m%d\" {\n", i)) + 18}},
			})
		}
	}
	sources := map[string][]byte{"big.dw.hcl": []byte(src.String())}
	b.ReportAllocs()
	for b.Loop() {
		ds := NewDiagnostics(diags, sources)
		if err := (DiagnosticText{W: io.Discard}).Write(ds); err != nil {
			b.Fatal(err)
		}
		if err := writeJSON(io.Discard, ds); err != nil {
			b.Fatal(err)
		}
	}
}
