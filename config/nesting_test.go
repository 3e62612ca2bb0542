package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// deep builds a local nested n levels deep in one of the ways HCL nests.
var deep = map[string]func(n int) string{
	"parentheses":    func(n int) string { return "x = " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) },
	"brackets":       func(n int) string { return "x = " + strings.Repeat("[", n) + "1" + strings.Repeat("]", n) },
	"braces":         func(n int) string { return "x = " + strings.Repeat("{a=", n) + "1" + strings.Repeat("}", n) },
	"interpolations": func(n int) string { return "x = " + strings.Repeat(`"${`, n) + "1" + strings.Repeat(`}"`, n) },
	"unary":          func(n int) string { return "x = " + strings.Repeat("-", n) + "1" },
	"negations":      func(n int) string { return "x = " + strings.Repeat("!", n) + "true" },
	"conditionals":   func(n int) string { return "x = " + strings.Repeat("true ? 1 : ", n) + "1" },
}

func TestCheckNesting(t *testing.T) {
	for name, build := range deep {
		t.Run(name, func(t *testing.T) {
			// One locals block is one level already.
			ok := "locals {\n" + build(MaxNesting-1) + "\n}\n"
			if diags := CheckNesting([]byte(ok), "ok.dw.hcl"); diags.HasErrors() {
				t.Fatalf("%d levels refused: %s", MaxNesting, diags.Error())
			}
			bad := "locals {\n" + build(MaxNesting) + "\n}\n"
			diags := CheckNesting([]byte(bad), "bad.dw.hcl")
			if !diags.HasErrors() || diags[0].Summary != "Nested too deeply" || diags[0].Subject.Start.Line != 2 {
				t.Fatalf("%d levels: %v", MaxNesting+1, diags)
			}
		})
	}
	t.Run("blocks", func(t *testing.T) {
		src := strings.Repeat("a {\n", MaxNesting+1) + strings.Repeat("}\n", MaxNesting+1)
		diags := CheckNesting([]byte(src), "blocks.dw.hcl")
		if !diags.HasErrors() || diags[0].Subject.Start.Line != MaxNesting+1 {
			t.Fatalf("diagnostics: %v", diags)
		}
	})
	t.Run("examples", func(t *testing.T) {
		paths, _ := filepath.Glob("../examples/*/*.dw*")
		for _, p := range paths {
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				continue // a .dwctl working directory of a local run
			}
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if diags := CheckNesting(src, p); diags.HasErrors() {
				t.Errorf("%s: %s", p, diags.Error())
			}
		}
	})
}

// TestHostileInputs loads inputs that crashed or exhausted the loader before the nesting limit and
// the linear locals: each ends with a diagnostic (or loads), in process, without a stack overflow.
func TestHostileInputs(t *testing.T) {
	inputs := map[string]string{}
	for name, build := range deep {
		inputs["100,000 "+name] = "locals {\n" + build(100000) + "\n}\n"
	}
	inputs["50,000 nested blocks"] = strings.Repeat("a {\n", 50000) + strings.Repeat("}\n", 50000)
	inputs["variable default nested 100,000 deep"] = "variable \"v\" {\n  default = " + strings.Repeat("[", 100000) + "\n}\n"
	var locals strings.Builder
	locals.WriteString("locals {\n")
	for i := 8000; i > 0; i-- { // a chain in the order that needs the most passes of a naive loop
		fmt.Fprintf(&locals, "  l%d = local.l%d + 1\n", i, i-1)
	}
	locals.WriteString("  l0 = 0\n}\n")
	inputs["8,000 chained locals"] = locals.String()
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, diags := Load(dir, LoadOptions{})
			if strings.HasPrefix(name, "8,000") {
				if diags.HasErrors() || cfg.Locals["l8000"].AsBigFloat().String() != "8000" {
					t.Fatalf("locals: %v, l8000 = %#v", diags, cfg.Locals["l8000"])
				}
				return
			}
			var got []string
			for _, d := range diags {
				got = append(got, d.Summary)
			}
			if diff := cmp.Diff([]string{"Nested too deeply"}, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzCheckNesting: the check never panics, and a source it lets through parses.
func FuzzCheckNesting(f *testing.F) {
	for _, build := range deep {
		f.Add([]byte("locals {\n" + build(300) + "\n}\n"))
	}
	f.Add([]byte(`x = "${a ? "${b}" : [for k, v in c : -v]}"`))
	f.Add([]byte("a {\n b {\n c = <<EOT\n${(((x)))}\nEOT\n }\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if CheckNesting(src, "f.dw.hcl").HasErrors() {
			return
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "f.dw.hcl"), src, 0o600); err != nil {
			t.Fatal(err)
		}
		if cfg, _ := Load(dir, LoadOptions{}); cfg == nil {
			t.Fatal("Load returned a nil Config")
		}
	})
}

// FuzzNestingBound: wherever the byte scan is sure, its bound is at least
// the nesting the token check computes, so a file it clears would pass the
// exact check too.
func FuzzNestingBound(f *testing.F) {
	for _, build := range deep {
		f.Add([]byte("locals {\n" + build(40) + "\n}\n"))
	}
	for _, s := range []string{
		`x = "${a ? "${b}" : [for k, v in c : -v]}"`,
		"a = !!-!-(1)\nb = c ? d : e ? f : g\n",
		`s = "a\"}}}${x}$${y}%%{z}%{ if a }(((%{ endif }" # }}}`,
		"/* ((( */ x = [(1), {a = 2}] // ]]]\n",
		"x = -1e-5 != !y\n",
		"a {\n b {\n c = <<EOT\n${(((x)))}\nEOT\n }\n}\n",
		`k = "${ "a${b}" }"`,
		"x = (]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		bound, sure := nestingBound(src)
		if !sure {
			return
		}
		tokens, _ := hclsyntax.LexConfig(src, "f.dw.hcl", hcl.InitialPos)
		if exact, _ := nestingOf(tokens); bound < exact {
			t.Fatalf("bound %d < exact %d for %q", bound, exact, src)
		}
	})
}
