package config_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/view"
)

var update = flag.Bool("update", false, "rewrite the golden files of the invalid-configuration corpus")

// marker is a trailing "# ERROR" or "# WARNING" comment.
var marker = regexp.MustCompile(`#\s*(ERROR|WARNING)\b`)

// TestInvalidCorpus loads every case of testdata/invalid and checks that the
// diagnostics start exactly on the marked lines with the marked severities,
// that the rendered text and JSON match the golden files, and that no
// listed secret shows up in either.
func TestInvalidCorpus(t *testing.T) {
	dirs, err := filepath.Glob("testdata/invalid/[0-9]*")
	if err != nil || len(dirs) < 40 {
		t.Fatalf("want at least 40 cases, found %d (%v)", len(dirs), err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			cfg, diags := config.Load(dir, config.LoadOptions{Vars: varArgs(t, dir), Environ: lines(t, filepath.Join(dir, "env"))})
			if !diags.HasErrors() && !strings.Contains(dir, "warning") && !hasWarningMarker(t, dir) {
				t.Fatalf("no errors")
			}
			if diff := cmp.Diff(markers(t, dir), found(diags)); diff != "" {
				t.Errorf("diagnostics vs markers (-want +got):\n%s\n%s", diff, diags.Error())
			}
			text, js := render(t, diags, cfg.Sources)
			for _, s := range lines(t, filepath.Join(dir, "secrets")) {
				if bytes.Contains(text, []byte(s)) || bytes.Contains(js, []byte(s)) {
					t.Errorf("the output shows the secret %q", s)
				}
			}
			golden(t, filepath.Join(dir, "diagnostics.golden"), text)
			golden(t, filepath.Join(dir, "diagnostics.golden.json"), js)
		})
	}
}

// TestFiveMistakes shows that one run reports every independent mistake.
func TestFiveMistakes(t *testing.T) {
	_, diags := config.Load("testdata/invalid/00-five-mistakes", config.LoadOptions{})
	errs := 0
	lines := map[int]bool{}
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs++
			lines[d.Subject.Start.Line] = true
		}
	}
	if errs < 5 || len(lines) < 5 {
		t.Errorf("got %d errors on %d lines, want 5 independent ones:\n%s", errs, len(lines), diags.Error())
	}
}

func hasWarningMarker(t *testing.T, dir string) bool {
	for k := range markers(t, dir) {
		if strings.HasSuffix(k, "warning") {
			return true
		}
	}
	return false
}

// markers returns "file:line severity" → count for every marker in dir.
func markers(t *testing.T, dir string) map[string]int {
	t.Helper()
	out := map[string]int{}
	paths, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, p := range paths {
		if !strings.HasSuffix(p, config.ConfigSuffix) && !strings.HasSuffix(p, config.VarFileSuffix) {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			for _, m := range marker.FindAllStringSubmatch(sc.Text(), -1) {
				out[fmt.Sprintf("%s:%d %s", p, n, strings.ToLower(m[1]))]++
			}
		}
		f.Close()
	}
	return out
}

// found returns the same key for every diagnostic.
func found(diags hcl.Diagnostics) map[string]int {
	out := map[string]int{}
	for _, d := range diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		where := "(no subject)"
		if d.Subject != nil {
			where = fmt.Sprintf("%s:%d", d.Subject.Filename, d.Subject.Start.Line)
		}
		out[where+" "+sev]++
	}
	return out
}

func render(t *testing.T, diags hcl.Diagnostics, sources map[string][]byte) ([]byte, []byte) {
	t.Helper()
	var text bytes.Buffer
	if err := (view.DiagnosticText{W: &text}).Write(view.NewDiagnostics(diags, sources)); err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false) // as dwctl validate -json writes it
	enc.SetIndent("", "  ")
	if err := enc.Encode(view.NewValidateResult(diags, sources)); err != nil {
		t.Fatal(err)
	}
	return text.Bytes(), js.Bytes()
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./config -run InvalidCorpus -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// varArgs reads the case's vars file: -var-file names relative to it.
func varArgs(t *testing.T, dir string) []config.VarArg {
	var out []config.VarArg
	for _, l := range lines(t, filepath.Join(dir, "vars")) {
		out = append(out, config.VarArg{File: true, Value: filepath.Join(dir, l)})
	}
	return out
}

// lines reads the non-empty lines of an optional file.
func lines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	sort.Strings(out[:0])
	return out
}
