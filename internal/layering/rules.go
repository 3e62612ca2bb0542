package layering

import (
	"fmt"
	"strings"
)

// Rule is one package's import rule.
type Rule struct {
	Only     bool     // an allow-list of direct imports; otherwise a deny-list of all dependencies
	Patterns []string // module-relative; "none" is the empty allow-list
}

const rulePrefix = "Import rule:"

// ParseRule finds the rule line in a package comment. It reports false when the comment has none.
func ParseRule(doc string) (Rule, bool, error) {
	lines := strings.Split(doc, "\n")
	for i, line := range lines {
		text, ok := strings.CutPrefix(line, rulePrefix)
		if !ok {
			continue
		}
		// A rule may continue on the following lines until a blank line.
		for _, more := range lines[i+1:] {
			if strings.TrimSpace(more) == "" {
				break
			}
			text += " " + more
		}
		text = strings.TrimSpace(text)
		if strings.HasSuffix(text, "....") || strings.HasSuffix(text, ".") && !strings.HasSuffix(text, "...") {
			text = text[:len(text)-1] // the sentence's full stop
		}
		fields := strings.Fields(text)
		if len(fields) < 2 || (fields[0] != "never" && fields[0] != "only") {
			return Rule{}, true, fmt.Errorf("%q: want %q followed by \"never\" or \"only\" and patterns", strings.TrimSpace(line), rulePrefix)
		}
		r := Rule{Only: fields[0] == "only"}
		for _, f := range fields[1:] {
			f = strings.TrimSuffix(f, ",")
			if f == "none" {
				if !r.Only || len(fields) != 2 {
					return Rule{}, true, fmt.Errorf("%q: \"none\" stands alone after \"only\"", strings.TrimSpace(line))
				}
				return r, true, nil
			}
			r.Patterns = append(r.Patterns, f)
		}
		return r, true, nil
	}
	return Rule{}, false, nil
}

// Match reports whether the module-relative path matches pattern.
func Match(pattern, path string) bool {
	if pattern == "..." {
		return true
	}
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pattern
}

// Violations returns the packages of the module (module-relative) that break r for the package
// self, whose direct module imports are imports and all module dependencies deps.
func (r Rule) Violations(self string, imports, deps []string) []string {
	var out []string
	if r.Only {
		for _, p := range imports {
			if p != self && !r.matches(p) {
				out = append(out, p)
			}
		}
		return out
	}
	for _, p := range deps {
		if p != self && r.matches(p) {
			out = append(out, p)
		}
	}
	return out
}

func (r Rule) matches(path string) bool {
	for _, pat := range r.Patterns {
		if Match(pat, path) {
			return true
		}
	}
	return false
}
