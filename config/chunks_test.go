package config

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// outline lists a body's blocks and attributes with every range the loader and the diagnostics use.
func outline(b *hclsyntax.Body) []string {
	var out []string
	var walk func(prefix string, b *hclsyntax.Body)
	walk = func(prefix string, b *hclsyntax.Body) {
		for _, name := range slices.Sorted(maps.Keys(b.Attributes)) {
			a := b.Attributes[name]
			out = append(out, fmt.Sprintf("%sattr %s %v %v %v", prefix, name, a.SrcRange, a.NameRange, a.Expr.Range()))
		}
		for _, blk := range b.Blocks {
			out = append(out, fmt.Sprintf("%sblock %s %q %v %v %v %v %v", prefix, blk.Type, blk.Labels, blk.DefRange(), blk.TypeRange, blk.LabelRanges, blk.OpenBraceRange, blk.CloseBraceRange))
			walk(prefix+"  ", blk.Body)
		}
	}
	walk("", b)
	return append(out, fmt.Sprintf("end %v %v", b.SrcRange, b.EndRange))
}

// TestChunkedParseIsTheWholeParse: cut at its top-level blocks, a file parses to the same blocks,
// attributes and ranges as parsed whole.
func TestChunkedParseIsTheWholeParse(t *testing.T) {
	var examples strings.Builder
	for _, glob := range []string{"../examples/quickstart/*.dw.hcl", "../examples/contoso/*.dw.hcl"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			examples.Write(b)
			examples.WriteString("\n")
		}
	}
	cases := map[string]string{
		"examples": examples.String(),
		"tricky": "# a comment with { and \"\n/* a { block } comment */\n" +
			"locals {\n  a = \"x ${jsonencode({ b = \"}\" })} y\" # }\n  c = [1, (2), { d = \"%{ if true }}%{ endif }\" }]\n}\n" +
			"table_map \"x\" { # }\n  finops = \"A\"\n}   \n\nvariable \"é\" {}\n" +
			"table_map \"y\" {\n  // }\n  dataverse = \"$${literal}\"\n}",
		"crlf":     "locals {\r\n  a = 1\r\n}\r\nlocals {\r\n  b = 2\r\n}\r\n",
		"heredocs": "locals {\n  a = <<EOT\n}\n  x ${y} {\nEOT\n  b = <<-EOT\n    }\n    EOT\n}\nlocals {\n  c = 1\n}\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			whole, diags := parseWhole([]byte(src), "main.dw.hcl")
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			chunked, ok := parseChunks([]byte(src), "main.dw.hcl")
			if !ok {
				t.Fatal("not cut")
			}
			if diff := cmp.Diff(outline(whole.Body.(*hclsyntax.Body)), outline(chunked.Body.(*hclsyntax.Body))); diff != "" {
				t.Errorf("(-whole +chunked):\n%s", diff)
			}
		})
	}
}

// TestChunkedParseGivesUp: sources the cut cannot follow with certainty, or that do not parse, are
// left to the whole-file parse.
func TestChunkedParseGivesUp(t *testing.T) {
	for name, src := range map[string]string{
		"open heredoc":    "locals {\n  a = <<EOT\n}\nlocals {}\n",
		"open string":     "locals {\n  a = \"x\n}\nlocals {}\n",
		"unbalanced":      "locals {\n  a = [1\n}\nlocals {}\n",
		"extra closer":    "locals {}\n}\nlocals {}\n",
		"unclosed remark": "locals {}\n/* {\nlocals {}\n",
		"syntax error":    "locals {\n  a = = 1\n}\nlocals {}\n",
		"one block":       "locals {\n  a = 1\n}\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, ok := parseChunks([]byte(src), "main.dw.hcl"); ok {
				t.Error("cut and parsed")
			}
		})
	}
}

// TestLargeFileParsesInChunks: a file past the threshold loads through the cut, with diagnostics
// on the right lines; one with an error anywhere gets the whole-file parse's diagnostics.
func TestLargeFileParsesInChunks(t *testing.T) {
	var src strings.Builder
	src.WriteString("environment \"finops\" \"fo\" { url = \"https://contoso.operations.dynamics.com\" }\n")
	for i := 0; src.Len() < chunkedParseMin; i++ {
		fmt.Fprintf(&src, "variable \"v%d\" {\n  default = \"%d\"\n}\n", i, i)
	}
	good := src.String()
	f, diags := parseFile([]byte(good), "main.dw.hcl")
	if diags.HasErrors() || len(f.Body.(*hclsyntax.Body).Blocks) < 1000 {
		t.Fatalf("%d blocks, %v", len(f.Body.(*hclsyntax.Body).Blocks), diags)
	}
	bad := good + "variable \"broken\" {\n  default = = 1\n}\n"
	_, diags = parseFile([]byte(bad), "main.dw.hcl")
	_, want := parseWhole([]byte(bad), "main.dw.hcl")
	if diff := cmp.Diff(want.Error(), diags.Error()); diff != "" || !diags.HasErrors() {
		t.Errorf("(-whole +chunked):\n%s", diff)
	}
	if d := diags[0]; d.Subject == nil || d.Subject.Start.Line != strings.Count(good, "\n")+2 {
		t.Errorf("subject %v", d.Subject)
	}
}

func FuzzTopLevelCuts(f *testing.F) {
	f.Add("locals {\n  a = 1\n}\nlocals {\n  b = \"${x}\"\n}\n")
	f.Add("a {\n}\n# }\nb \"c\" {\n  d = \"}\"\n}\n")
	f.Fuzz(func(t *testing.T, src string) {
		if CheckNesting([]byte(src), "f.dw.hcl").HasErrors() {
			return // the loader never parses it
		}
		chunked, ok := parseChunks([]byte(src), "f.dw.hcl")
		if !ok {
			return
		}
		whole, diags := parseWhole([]byte(src), "f.dw.hcl")
		if diags.HasErrors() {
			t.Fatalf("cut and parsed a source the whole parse refuses: %s", diags.Error())
		}
		if diff := cmp.Diff(outline(whole.Body.(*hclsyntax.Body)), outline(chunked.Body.(*hclsyntax.Body))); diff != "" {
			t.Errorf("(-whole +chunked):\n%s", diff)
		}
	})
}
