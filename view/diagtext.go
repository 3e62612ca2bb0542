package view

import (
	"fmt"
	"io"
	"strings"

	"github.com/mitchellh/go-wordwrap"
	"github.com/rivo/uniseg"
)

// DiagnosticText renders diagnostics for a person, Terraform-style: a ruled
// box per diagnostic with the severity and summary, the location, the quoted
// source with the subject underlined by carets (so it shows without colour),
// then the detail.
type DiagnosticText struct {
	W     io.Writer
	Color bool
	// Width wraps the detail to this many columns; 0 means do not wrap.
	Width int
}

// Write renders every diagnostic in order.
func (t DiagnosticText) Write(diags []Diagnostic) error {
	for _, d := range diags {
		if err := t.WriteOne(d); err != nil {
			return err
		}
	}
	return nil
}

// WriteOne renders one diagnostic followed by a blank line.
func (t DiagnosticText) WriteOne(d Diagnostic) error {
	var b strings.Builder
	ruleColor, label := ansiRed, "Error: "
	if d.Severity == "warning" {
		ruleColor, label = ansiYellow, "Warning: "
	}
	rule := func(s string) string { return paint(t.Color, ruleColor, s) }
	line := func(s string) {
		b.WriteString(rule("│"))
		if s != "" {
			b.WriteString(" " + s)
		}
		b.WriteString("\n")
	}
	b.WriteString(rule("╷") + "\n")
	line(paint(t.Color, ansiBold+ruleColor, label) + paint(t.Color, ansiBold, d.Summary))
	if d.Range != nil {
		line("")
		line(location(d))
		if d.Snippet != nil {
			for _, l := range t.snippetLines(*d.Snippet, ruleColor) {
				line(l)
			}
		}
	}
	if d.Detail != "" {
		line("")
		for _, l := range strings.Split(t.wrap(d.Detail), "\n") {
			line(l)
		}
	}
	b.WriteString(rule("╵") + "\n\n")
	_, err := io.WriteString(t.W, b.String())
	return err
}

// location is the "on FILE line N, in BLOCK:" line.
func location(d Diagnostic) string {
	s := fmt.Sprintf("  on %s line %d", d.Range.Filename, d.Range.Start.Line)
	if d.Snippet != nil && d.Snippet.Context != "" {
		s += ", in " + d.Snippet.Context
	}
	if d.Snippet != nil {
		s += ":"
	}
	return s
}

// snippetLines numbers the quoted lines and puts a caret line under each
// line that the highlight touches.
func (t DiagnosticText) snippetLines(s Snippet, caretColor string) []string {
	lines := strings.Split(s.Code, "\n")
	gutter := len(fmt.Sprint(s.StartLine + len(lines) - 1))
	var out []string
	pos := 0
	for i, l := range lines {
		ls, le := pos, pos+len(l)
		pos = le + 1
		hs, he := max(s.HighlightStartOffset, ls), min(s.HighlightEndOffset, le)
		touched := hs < he || (s.HighlightStartOffset == s.HighlightEndOffset && hs == he && hs >= ls && hs <= le)
		prefix := fmt.Sprintf("  %*d: ", gutter, s.StartLine+i)
		if !touched {
			out = append(out, strings.TrimRight(prefix+l, " "))
			continue
		}
		a, h, z := l[:hs-ls], l[hs-ls:he-ls], l[he-ls:]
		out = append(out, strings.TrimRight(prefix+a+paint(t.Color, ansiUnderline, h)+z, " "))
		carets := strings.Repeat("^", max(1, uniseg.StringWidth(h)))
		out = append(out, strings.Repeat(" ", len(prefix))+indent(a)+paint(t.Color, caretColor, carets))
	}
	return out
}

// indent is whitespace as wide as s on screen, keeping tabs as tabs.
func indent(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '\t' {
			b.WriteByte('\t')
			continue
		}
		b.WriteString(strings.Repeat(" ", uniseg.StringWidth(string(r))))
	}
	return b.String()
}

// wrap wraps each paragraph line of detail to the width, leaving indented
// (preformatted) lines alone.
func (t DiagnosticText) wrap(detail string) string {
	if t.Width <= 10 {
		return detail
	}
	lines := strings.Split(detail, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, " ") {
			lines[i] = wordwrap.WrapString(l, uint(t.Width-2))
		}
	}
	return strings.Join(lines, "\n")
}
