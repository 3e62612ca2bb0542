package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// TestPipelineExamples reads the pipeline examples as their CI systems do
// (YAML) and checks that every dwctl command line in their scripts names a
// real command with options it has, so the examples cannot drift from the
// CLI.
func TestPipelineExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/pipelines/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no pipeline examples found: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var doc yaml.Node
			if err := yaml.Unmarshal(src, &doc); err != nil {
				t.Fatalf("not YAML: %v", err)
			}
			var scripts []string
			collectScripts(&doc, &scripts)
			used := map[string]bool{}
			for _, script := range scripts {
				for _, argv := range dwctlCommandLines(script) {
					g, rest, err := parseGlobal(argv)
					if err != nil {
						t.Errorf("%s: %v", strings.Join(argv, " "), err)
						continue
					}
					if g.help || g.version {
						used["version"] = true
						continue
					}
					c, cargs := lookup(rest)
					if c == nil {
						t.Errorf("%s: no such command", strings.Join(argv, " "))
						continue
					}
					fs := c.flags()
					fs.SetOutput(nopWriter{})
					if err := fs.Parse(cargs); err != nil {
						t.Errorf("%s: %v", strings.Join(argv, " "), err)
					}
					used[c.name] = true
				}
			}
			// Each example shows the whole flow: a checked, planned and
			// rendered change, its apply, and the drift watch.
			var got []string
			for name := range used {
				got = append(got, name)
			}
			sort.Strings(got)
			want := []string{"apply", "fmt", "plan", "show", "test", "validate"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("commands the example runs (-want +got):\n%s", diff)
			}
		})
	}
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }

// collectScripts gathers the shell scripts of a pipeline: the values of
// GitHub's run, Azure's script and bash steps and AzureCLI's inlineScript.
func collectScripts(n *yaml.Node, out *[]string) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "run", "script", "bash", "inlineScript":
				if v.Kind == yaml.ScalarNode {
					*out = append(*out, v.Value)
					continue
				}
			}
			collectScripts(v, out)
		}
		return
	}
	for _, c := range n.Content {
		collectScripts(c, out)
	}
}

// dwctlCommandLines finds the dwctl invocations of a shell script and returns
// their arguments, unquoted, up to the first pipe, redirection or list
// operator. It knows as much shell as the examples use.
func dwctlCommandLines(script string) [][]string {
	script = strings.ReplaceAll(script, "\\\n", " ")
	var out [][]string
	for _, line := range strings.Split(script, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		words := shellWords(line)
		for i, w := range words {
			if w != "dwctl" || (i > 0 && !isShellOperator(words[i-1]) && words[i-1] != "then" && words[i-1] != "if" && words[i-1] != "!") {
				continue
			}
			var argv []string
			for _, a := range words[i+1:] {
				if isShellOperator(a) || strings.HasPrefix(a, ">") || strings.HasPrefix(a, "2>") {
					break
				}
				argv = append(argv, a)
			}
			out = append(out, argv)
		}
	}
	return out
}

func isShellOperator(w string) bool {
	switch w {
	case "|", "||", "&&", ";", "(", ")", "$(":
		return true
	}
	return false
}

// shellWords splits a line into words, removing single and double quotes and
// keeping variable references as written.
func shellWords(line string) []string {
	var words []string
	var b strings.Builder
	inWord := false
	var quote rune
	flush := func() {
		if inWord {
			words = append(words, b.String())
			b.Reset()
			inWord = false
		}
	}
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				b.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote = r
			inWord = true
		case r == ' ' || r == '\t':
			flush()
		case r == '|' || r == ';':
			flush()
			words = append(words, string(r))
		default:
			b.WriteRune(r)
			inWord = true
		}
	}
	flush()
	// "a || b" and "a && b" arrive as separate characters or words.
	var joined []string
	for _, w := range words {
		if n := len(joined); n > 0 && w == "|" && joined[n-1] == "|" {
			joined[n-1] = "||"
			continue
		}
		joined = append(joined, w)
	}
	return joined
}
