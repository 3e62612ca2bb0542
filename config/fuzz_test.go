package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader as a configuration file and
// as a variables file; nothing may panic.
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"../examples/quickstart", "../examples/contoso"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.dw.hcl"))
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			// Small seeds keep the fuzzer's minimisation fast: one seed
			// per paragraph of each example file.
			for _, para := range bytes.Split(b, []byte("\n\n")) {
				f.Add(para, []byte(`stage = "prod"`))
			}
		}
	}
	f.Add([]byte("table_map \"x\" {\n  for_each = toset([\"a\"])\n  finops = each.key\n}"), []byte("x = {"))
	f.Add([]byte{0xff, 0xfe, 0x00, '{'}, []byte{0})
	// Hostile inputs: nesting past the limit in a file and in a variables file.
	f.Add([]byte("locals {\n  x = "+strings.Repeat("(", 300)+"1\n}\n"), []byte("v = "+strings.Repeat("[", 300)))
	f.Add([]byte(strings.Repeat("a {\n", 300)), []byte("v = "+strings.Repeat("-", 300)+"1"))
	f.Fuzz(func(t *testing.T, src, vars []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "f.dw.hcl"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "v.dwvars"), vars, 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, _ := Load(dir, LoadOptions{Vars: []VarArg{{File: true, Value: "v.dwvars"}}})
		if cfg == nil {
			t.Fatal("Load returned a nil Config")
		}
	})
}

// TestTruncatedAndBinaryFiles loads every prefix of the examples' files
// (at a stride) and some binary garbage: errors are fine, panics are not.
func TestTruncatedAndBinaryFiles(t *testing.T) {
	paths, _ := filepath.Glob("../examples/*/*.dw.hcl")
	if len(paths) == 0 {
		t.Fatal("no example files found")
	}
	inputs := [][]byte{{0x00, 0x01, 0xff, 0xfe}, []byte("\xef\xbb\xbfdwctl {"), []byte("\"unterminated")}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < len(b); n += 37 {
			inputs = append(inputs, b[:n])
		}
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "main.dw.hcl")
	for _, in := range inputs {
		if err := os.WriteFile(file, in, 0o644); err != nil {
			t.Fatal(err)
		}
		if cfg, _ := Load(dir, LoadOptions{}); cfg == nil {
			t.Fatal("Load returned a nil Config")
		}
	}
}
