package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// result is what one run of the binary produced.
type result struct {
	status         int
	stdout, stderr string
	// maxRSS is the process's peak resident memory in bytes.
	maxRSS int64
}

// dwctl runs the built binary in dir with args.
func dwctl(t testing.TB, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(filepath.Join(binary(t), "dwctl"), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DWCTL_LOG=", "NO_COLOR=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.maxRSS = ru.Maxrss * 1024 // kilobytes on Linux
		}
	}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		r.status = exitErr.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return r
}

// TestNestingLimit runs validate, plan and fmt -check on inputs nested far past the limit: each
// exits 1 with the diagnostic at the offending place, never a Go stack overflow, and stays well
// under 500 MB.
func TestNestingLimit(t *testing.T) {
	n := 100000
	if testing.Short() {
		n = 10000 // the edit loop: still forty times the limit
	}
	inputs := map[string]string{
		"parentheses": "locals {\n  x = " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "\n}\n",
		"brackets":    "locals {\n  x = " + strings.Repeat("[", n) + "1" + strings.Repeat("]", n) + "\n}\n",
		"blocks":      strings.Repeat("a {\n", n/2) + strings.Repeat("}\n", n/2),
	}
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"validate"}, {"plan"}, {"fmt", "-check"}} {
				r := dwctl(t, dir, args...)
				if r.status != 1 || crashed.MatchString(r.stderr) || !strings.Contains(r.stderr, "Nested too deeply") {
					t.Fatalf("%s: status %d\n%.2000s", args[0], r.status, r.stderr)
				}
				if r.maxRSS > 500<<20 {
					t.Errorf("%s: peak memory %d MiB, want under 500", args[0], r.maxRSS>>20)
				}
			}
		})
	}
}

// crashed reports whether the output shows a Go panic or stack trace.
var crashed = regexp.MustCompile(`panic:|goroutine \d+|runtime error`)

// TestBadInputsNeverPanic feeds validate and fmt truncated and binary
// files: each run must end with a status and diagnostics, never a crash,
// and -json output must stay valid JSON.
func TestBadInputsNeverPanic(t *testing.T) {
	valid, err := os.ReadFile(filepath.Join("testdata", "fmt", "blocks.golden"))
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]byte{
		"binary":      {0x00, 0xff, 0xfe, 0x7b, 0x22, 0x0a, 0x80, 0x00, 0x1b, 0x5b},
		"utf16 bom":   append([]byte{0xff, 0xfe}, []byte("l\x00i\x00n\x00k\x00")...),
		"nul in body": []byte("link \"main\" {\n  finops = \x00\n}\n"),
		"deep nest":   []byte(strings.Repeat("a = [", 5000)),
	}
	for _, cut := range []int{1, 7, 20, 60, 100, 200, len(valid) - 2} {
		inputs["truncated at "+itoa(cut)] = valid[:min(cut, len(valid))]
	}
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), src, 0o644); err != nil {
				t.Fatal(err)
			}
			check := func(r result, allowed ...int) {
				t.Helper()
				if crashed.MatchString(r.stdout + r.stderr) {
					t.Fatalf("crash output:\n%s%s", r.stdout, r.stderr)
				}
				for _, s := range allowed {
					if r.status == s {
						return
					}
				}
				t.Fatalf("status %d, want one of %v\n%s", r.status, allowed, r.stderr)
			}
			// A truncation can still be a valid file (cut after a comment
			// or a block); anything else must fail.
			want := []int{1}
			if strings.HasPrefix(name, "truncated") {
				want = []int{0, 1}
			}
			check(dwctl(t, dir, "validate"), want...)
			r := dwctl(t, dir, "validate", "-json")
			check(r, want...)
			if !json.Valid([]byte(r.stdout)) {
				t.Fatalf("validate -json output is not JSON: %q", r.stdout)
			}
			check(dwctl(t, dir, "fmt", "-check"), 0, 1, 3)
		})
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestExamplesValidate validates the shipped examples, then puts a typo
// into a link reference of a copy of contoso: exit 1 and a diagnostic
// naming the file and line.
func TestExamplesValidate(t *testing.T) {
	examples := filepath.Join("..", "..", "examples")
	tests := map[string][]string{
		"quickstart": {"validate"},
		"contoso":    {"validate", "-var-file=prod.dwvars"},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			r := dwctl(t, filepath.Join(examples, name), args...)
			if r.status != 0 || r.stdout != "Success! The configuration is valid.\n" {
				t.Fatalf("status %d\nstdout: %s\nstderr: %s", r.status, r.stdout, r.stderr)
			}
		})
	}
	t.Run("typo", func(t *testing.T) {
		dir := t.TempDir()
		file, line := copyWithTypo(t, filepath.Join(examples, "contoso"), dir)
		r := dwctl(t, dir, "validate", "-var-file=prod.dwvars")
		want := "on " + file + " line " + itoa(line)
		if r.status != 1 || !strings.Contains(r.stderr, want) {
			t.Fatalf("status %d, want 1 and %q in stderr:\n%s", r.status, want, r.stderr)
		}
	})
}

// linkRef matches a reference to a link, like "= link.main".
var linkRef = regexp.MustCompile(`= link\.\w+`)

// copyWithTypo copies the files of src into dst, misspelling the first
// reference to a link in a *.dw.hcl file; it returns that file and line.
func copyWithTypo(t *testing.T, src, dst string) (string, int) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	file, line := "", 0
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if loc := linkRef.FindIndex(b); loc != nil && file == "" && strings.HasSuffix(e.Name(), ".dw.hcl") {
			file, line = e.Name(), 1+bytes.Count(b[:loc[0]], []byte("\n"))
			b = append(b[:loc[1]:loc[1]], append([]byte("_typo"), b[loc[1]:]...)...)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if file == "" {
		t.Fatal("no reference to a link in the example")
	}
	return file, line
}
