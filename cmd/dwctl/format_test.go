package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestFormatGolden formats testdata/fmt/*.input, compares with *.golden
// and formats the golden again to prove the result is a fixed point.
func TestFormatGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "fmt", "*.input"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got, diags := formatSource(src, in)
			if diags.HasErrors() {
				t.Fatalf("format: %s", diags.Error())
			}
			goldenPath := strings.TrimSuffix(in, ".input") + ".golden"
			if *update {
				if err := os.WriteFile(goldenPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), string(got)); d != "" {
				t.Errorf("format (-golden +got):\n%s", d)
			}
			again, _ := formatSource(want, goldenPath)
			if d := cmp.Diff(string(want), string(again)); d != "" {
				t.Errorf("golden is not a fixed point (-golden +again):\n%s", d)
			}
		})
	}
}

func TestFormatSource(t *testing.T) {
	tests := map[string]struct {
		src     string
		want    string
		wantErr string
	}{
		"empty":           {src: "", want: ""},
		"blank lines":     {src: "\n\n  \n", want: ""},
		"adds newline":    {src: "a = 1", want: "a = 1\n"},
		"syntax error":    {src: "b {\n", wantErr: "Unclosed configuration block"},
		"binary":          {src: "\x00\xff\xfe{", wantErr: "Invalid character"},
		"unterminated":    {src: "a = <<EOT\nx\n", wantErr: "Unterminated template string"},
		"comment kept":    {src: "a=1 # one\n", want: "a = 1 # one\n"},
		"crlf to lf":      {src: "a=1\r\nb=2\r\n", want: "a = 1\nb = 2\n"},
		"unicode kept":    {src: "name=\"Café ä\"\n", want: "name = \"Café ä\"\n"},
		"invalid utf8":    {src: "a = \"\xff\"\n", wantErr: "Invalid character encoding"},
		"block trailing":  {src: "b {\n}\n\n\n", want: "b {\n}\n"},
		"bad utf8 at end": {src: "A=\xe8  ", wantErr: "x.dw.hcl:1,3-4: Invalid character encoding"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, diags := formatSource([]byte(tc.src), "x.dw.hcl")
			if tc.wantErr != "" {
				if !strings.Contains(diags.Error(), tc.wantErr) {
					t.Fatalf("diagnostics = %q, want %q", diags.Error(), tc.wantErr)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("unexpected diagnostics: %s", diags.Error())
			}
			if d := cmp.Diff(tc.want, string(got)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// FuzzFormat checks that formatting never panics and that whatever it
// accepts comes out as a fixed point that still parses.
func FuzzFormat(f *testing.F) {
	inputs, _ := filepath.Glob(filepath.Join("testdata", "fmt", "*.input"))
	for _, in := range inputs {
		if src, err := os.ReadFile(in); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		out, diags := formatSource(src, "f.dw.hcl")
		if diags.HasErrors() {
			return
		}
		again, diags := formatSource(out, "f.dw.hcl")
		if diags.HasErrors() {
			t.Fatalf("formatted output does not parse: %s\n%q", diags.Error(), out)
		}
		if !bytes.Equal(out, again) {
			t.Fatalf("not idempotent:\n%q\n%q", out, again)
		}
	})
}
