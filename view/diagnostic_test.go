package view

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

const mainSrc = `link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}

table_map "customers" {
  link   = link.mian
  finops = "CustomersV3"
  field "CUSTOMERACCOUNT" "accountnumber" {
	direction = "sideways"
  }
  field "NAME" "name" { value_map = { ä = 1 } }
}
`

var testSources = map[string][]byte{
	"main.dw.hcl": []byte(mainSrc),
	"prod.dwvars": []byte("client_secret = 42\n"),
}

// rng builds a range in main.dw.hcl from byte offsets, deriving lines and
// columns from the source.
func rng(file string, start, end int) *hcl.Range {
	src := testSources[file]
	pos := func(b int) hcl.Pos {
		line := 1 + bytes.Count(src[:b], []byte("\n"))
		col := b - (bytes.LastIndexByte(src[:b], '\n') + 1) + 1
		return hcl.Pos{Line: line, Column: col, Byte: b}
	}
	return &hcl.Range{Filename: file, Start: pos(start), End: pos(end)}
}

// at finds the byte span of s in main.dw.hcl.
func at(s string) (int, int) {
	i := bytes.Index([]byte(mainSrc), []byte(s))
	return i, i + len(s)
}

type extra struct{}

func (extra) DiagnosticExtra() map[string]any {
	return map[string]any{"suggestion": "main"}
}

func diagnosticCases() map[string]hcl.Diagnostics {
	refS, refE := at("link.mian")
	dirS, dirE := at(`"sideways"`)
	blkS, blkE := at("field \"CUSTOMERACCOUNT\" \"accountnumber\" {\n\tdirection = \"sideways\"\n  }")
	wideS, wideE := at("ä = 1")
	eol := bytes.IndexByte([]byte(mainSrc), '\n')
	return map[string]hcl.Diagnostics{
		"reference": {{
			Severity: hcl.DiagError, Summary: "Reference to undeclared link",
			Detail:  `No link named "mian" is declared. Did you mean "main"?`,
			Subject: rng("main.dw.hcl", refS, refE), Extra: extra{},
		}},
		"context": {{
			Severity: hcl.DiagError, Summary: "Invalid direction",
			Detail:  `direction must be "both", "to_dataverse" or "to_finops".`,
			Subject: rng("main.dw.hcl", dirS, dirE), Context: rng("main.dw.hcl", blkS, blkE),
		}},
		"multiline": {{
			Severity: hcl.DiagWarning, Summary: "Field block spans lines",
			Detail: "Two lines.\n  Preformatted line.", Subject: rng("main.dw.hcl", blkS, blkE),
		}},
		"wide": {{Severity: hcl.DiagError, Summary: "Wide", Subject: rng("main.dw.hcl", wideS, wideE)}},
		"empty_at_eol": {{
			Severity: hcl.DiagError, Summary: "Missing newline", Subject: rng("main.dw.hcl", eol, eol),
		}},
		"no_subject": {{Severity: hcl.DiagError, Summary: "No configuration files", Detail: "Add a *.dw.hcl file."}},
		"dwvars": {{
			Severity: hcl.DiagError, Summary: "Invalid value for variable",
			Detail: "A string is required.", Subject: &hcl.Range{Filename: "prod.dwvars",
				Start: hcl.Pos{Line: 1, Column: 17, Byte: 16}, End: hcl.Pos{Line: 1, Column: 19, Byte: 18}},
		}},
		"unknown_file": {{
			Severity: hcl.DiagError, Summary: "Unreadable file", Subject: &hcl.Range{Filename: "gone.dw.hcl",
				Start: hcl.Pos{Line: 3, Column: 1, Byte: 20}, End: hcl.Pos{Line: 3, Column: 2, Byte: 21}},
		}},
		"out_of_range": {{
			Severity: hcl.DiagError, Summary: "Bad offsets", Subject: &hcl.Range{Filename: "main.dw.hcl",
				Start: hcl.Pos{Line: 90, Column: 1, Byte: 5000}, End: hcl.Pos{Line: 91, Column: 1, Byte: 9000}},
		}},
	}
}

func TestDiagnosticViews(t *testing.T) {
	for name, diags := range diagnosticCases() {
		t.Run(name, func(t *testing.T) {
			ds := NewDiagnostics(diags, testSources)
			for suffix, color := range map[string]bool{".txt": false, ".color.txt": true} {
				var b bytes.Buffer
				if err := (DiagnosticText{W: &b, Color: color}).Write(ds); err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("diagnostics", name+suffix), string(b.Bytes()))
			}
			js, err := json.MarshalIndent(ds, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("diagnostics", name+".json"), string(append(js, '\n')))
		})
	}
}
