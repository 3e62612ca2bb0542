package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const referencePath = "../../docs/cli.md"

// TestCLIReference keeps docs/cli.md what the command table says: it is
// generated from the same definitions help and parsing use, and this test
// fails when it is stale (refresh it with go test ./cmd/dwctl -run
// TestCLIReference -update).
func TestCLIReference(t *testing.T) {
	got := cliReference()
	if *update {
		if err := os.WriteFile(referencePath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(referencePath)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s is stale; run go test ./cmd/dwctl -run TestCLIReference -update (-file +generated):\n%s", filepath.Base(referencePath), diff)
	}
	// Every command and every option is in it.
	for _, c := range commands {
		if !strings.Contains(got, "## dwctl "+c.name+"\n") {
			t.Errorf("command %q is missing", c.name)
		}
		c.flags().VisitAll(func(f *flag.Flag) {
			if !strings.Contains(got, "| `-"+f.Name) {
				t.Errorf("option -%s of %q is missing", f.Name, c.name)
			}
		})
	}
}

// cliReference renders the command table as Markdown.
func cliReference() string {
	var b strings.Builder
	b.WriteString("# dwctl command-line reference\n\n")
	b.WriteString("<!-- Generated from the command definitions by `go test ./cmd/dwctl -run TestCLIReference -update`; do not edit. -->\n\n")
	b.WriteString(mainAbout + "\n\n")
	b.WriteString("```text\nUsage: dwctl [global options] <command> [options] [args]\n```\n\n")
	b.WriteString("| Command | What it does |\n|---|---|\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", c.name, anchor("dwctl "+c.name), mdCell(c.synopsis))
	}
	b.WriteString("\n## Global options\n\nThey come before the command name.\n\n")
	flagTable(&b, globalFlags(new(globalArgs)))
	b.WriteString("\n## Environment\n\n```text\n" + strings.TrimPrefix(environmentHelp, "Environment:\n") + "```\n")
	b.WriteString("\n## Exit status\n\n0: success (with `-detailed-exitcode`: no changes); 1: an error; 2: with `-detailed-exitcode`, changes (or drift).\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "\n## dwctl %s\n\n%s.\n\n```text\ndwctl [global options] %s [options]", c.name, strings.TrimSuffix(c.synopsis, "."), c.name)
		if c.args != "" {
			b.WriteString(" " + c.args)
		}
		b.WriteString("\n```\n\n```text\n" + strings.TrimRight(c.about, "\n") + "\n```\n")
		fs := c.flags()
		has := false
		fs.VisitAll(func(*flag.Flag) { has = true })
		if has {
			b.WriteString("\n")
			flagTable(&b, fs)
		}
	}
	return b.String()
}

// flagTable writes a flag set as a Markdown table.
func flagTable(b *strings.Builder, fs *flag.FlagSet) {
	b.WriteString("| Option | Default | Description |\n|---|---|---|\n")
	fs.VisitAll(func(f *flag.Flag) {
		placeholder, usage := flag.UnquoteUsage(f)
		name := "-" + f.Name
		def := ""
		switch {
		case isBoolFlag(f):
			if f.DefValue == "true" {
				def = "`true`"
			}
		case strings.Contains(placeholder, "="):
			name += " " + placeholder
		default:
			name += "=" + placeholder
			if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "0s" {
				def = "`" + f.DefValue + "`"
			}
		}
		fmt.Fprintf(b, "| `%s` | %s | %s |\n", name, def, mdCell(usage))
	})
}

// anchor is GitHub's heading anchor of a heading's text.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCell makes text safe in a table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
