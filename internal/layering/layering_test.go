package layering

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRule(t *testing.T) {
	cases := map[string]struct {
		doc     string
		want    Rule
		found   bool
		wantErr bool
	}{
		"never":        {"Package x does y.\n\nImport rule: never providers/... cmd/...\n", Rule{Patterns: []string{"providers/...", "cmd/..."}}, true, false},
		"continued":    {"Import rule: never a b\nc/...\n\nMore text.", Rule{Patterns: []string{"a", "b", "c/..."}}, true, false},
		"only":         {"Import rule: only emulator/store filter.", Rule{Only: true, Patterns: []string{"emulator/store", "filter"}}, true, false},
		"only none":    {"Import rule: only none", Rule{Only: true}, true, false},
		"commas":       {"Import rule: never config, planner.", Rule{Patterns: []string{"config", "planner"}}, true, false},
		"wildcard end": {"Import rule: never cmd/....", Rule{Patterns: []string{"cmd/..."}}, true, false},
		"missing":      {"Package x does y.", Rule{}, false, false},
		"no verb":      {"Import rule: providers", Rule{}, true, true},
		"empty":        {"Import rule: never", Rule{}, true, true},
		"never none":   {"Import rule: never none", Rule{}, true, true},
		"none and one": {"Import rule: only none filter", Rule{}, true, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, found, err := ParseRule(tc.doc)
			if (err != nil) != tc.wantErr || found != tc.found {
				t.Fatalf("found %v, error %v; want found %v, error %v", found, err, tc.found, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); err == nil && diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestViolations(t *testing.T) {
	cases := map[string]struct {
		rule          Rule
		imports, deps []string
		want          []string
	}{
		"never direct":     {Rule{Patterns: []string{"providers/..."}}, []string{"providers/odata"}, []string{"providers/odata", "providers"}, []string{"providers/odata", "providers"}},
		"never indirect":   {Rule{Patterns: []string{"emulator"}}, []string{"connection"}, []string{"connection", "emulator"}, []string{"emulator"}},
		"never kept":       {Rule{Patterns: []string{"cmd/..."}}, []string{"config"}, []string{"config", "filter"}, nil},
		"never everything": {Rule{Patterns: []string{"..."}}, nil, []string{"filter"}, []string{"filter"}},
		"only kept":        {Rule{Only: true, Patterns: []string{"emulator/store", "filter"}}, []string{"filter"}, []string{"filter", "mapping"}, nil},
		"only broken":      {Rule{Only: true, Patterns: []string{"filter"}}, []string{"filter", "config"}, nil, []string{"config"}},
		"only none":        {Rule{Only: true}, []string{"state"}, []string{"state"}, []string{"state"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.rule.Violations("self", tc.imports, tc.deps)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// listed is what go list says of one package.
type listed struct {
	ImportPath, Dir string
	GoFiles         []string
	Imports, Deps   []string
}

// TestImportRules checks every package of the module against the rule of its package comment.
func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "github.com/dwctl/dwctl/...").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	const module = "github.com/dwctl/dwctl"
	rel := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			if r, ok := strings.CutPrefix(p, module+"/"); ok {
				out = append(out, r)
			}
		}
		return out
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	n := 0
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		n++
		self, _ := strings.CutPrefix(p.ImportPath, module+"/")
		doc := packageDoc(t, p.Dir, p.GoFiles)
		rule, found, err := ParseRule(doc)
		switch {
		case err != nil:
			t.Errorf("%s: %v", self, err)
			continue
		case !found:
			t.Errorf("%s: the package comment states no import rule (a line %q)", self, rulePrefix+" never ...")
			continue
		}
		if bad := rule.Violations(self, rel(p.Imports), rel(p.Deps)); len(bad) > 0 {
			t.Errorf("%s: its package comment rules out %s, which it imports", self, strings.Join(bad, ", "))
		}
	}
	if n < 20 {
		t.Fatalf("go list gave %d packages; the module has more", n)
	}
}

// packageDoc returns the package comment of the non-test files of a package.
func packageDoc(t *testing.T, dir string, files []string) string {
	t.Helper()
	var docs []string
	for _, f := range files {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, filepath.Join(dir, f), nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if file.Doc != nil {
			docs = append(docs, file.Doc.Text())
		}
	}
	return strings.Join(docs, "\n")
}

// printing finds writes to the process's streams: os.Stdout and os.Stderr, fmt.Print*, and fmt.Fprint*
// into a command's streams (streams.Out, p.stdout, ...).
var printing = regexp.MustCompile(`os\.Std(out|err)\b|\bfmt\.Print(f|ln)?\(|\bfmt\.Fprint(f|ln)?\(\s*(streams|p|s)\.(Out|Err|stdout|stderr)\b`)

// TestOnlyViewsPrint: outside package view nothing writes to stdout or stderr; cmd/dwctl's main
// hands the process's streams to the views, and state/pgtest (a test server's runner) reports its
// own failures.
func TestOnlyViewsPrint(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}|{{.ImportPath}}|{{join .GoFiles \",\"}}", "github.com/dwctl/dwctl/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := map[string]bool{"cmd/dwctl/main.go": true, "state/pgtest/main.go": true}
	files := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		dir, pkg := parts[0], strings.TrimPrefix(parts[1], "github.com/dwctl/dwctl/")
		if pkg == "view" || parts[2] == "" {
			continue
		}
		for _, f := range strings.Split(parts[2], ",") {
			files++
			src, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if allowed[pkg+"/"+f] {
				continue
			}
			for i, l := range strings.Split(string(src), "\n") {
				if printing.MatchString(l) && !strings.HasPrefix(strings.TrimSpace(l), "//") {
					t.Errorf("%s/%s:%d writes to the process's streams; a view should: %s", pkg, f, i+1, strings.TrimSpace(l))
				}
			}
		}
	}
	if files < 100 {
		t.Fatalf("checked %d files; the module has more", files)
	}
}
