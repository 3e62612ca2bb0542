package view

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/dwctl/dwctl/config"
)

// Diagnostic is the one JSON form of a diagnostic; the text view renders
// from it too.
type Diagnostic struct {
	Severity string `json:"severity"` // "error" or "warning"
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	// Range is absent when the diagnostic has no subject in a file.
	Range   *Range         `json:"range,omitempty"`
	Snippet *Snippet       `json:"snippet,omitempty"`
	Extra   map[string]any `json:"extra,omitempty"`
}

// Range is a span of a source file.
type Range struct {
	Filename string `json:"filename"`
	Start    Pos    `json:"start"`
	End      Pos    `json:"end"`
}

// Pos is a position in a source file: 1-based line and column, 0-based byte
// offset.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// Snippet is the source code a diagnostic points at: whole lines, with the
// subject's byte span inside them.
type Snippet struct {
	// Context names the top-level block the subject is in, like
	// `table_map "customers"`; empty when outside any block.
	Context string `json:"context,omitempty"`
	// Code is the source lines, without the final newline.
	Code string `json:"code"`
	// StartLine is the line number of Code's first line.
	StartLine int `json:"start_line"`
	// HighlightStartOffset and HighlightEndOffset are the byte offsets of
	// the subject within Code.
	HighlightStartOffset int `json:"highlight_start_offset"`
	HighlightEndOffset   int `json:"highlight_end_offset"`
}

// extraProvider is implemented by diagnostic Extra values that want to be
// shown in the JSON form.
type extraProvider interface {
	DiagnosticExtra() map[string]any
}

// maxSnippetLines bounds the source lines quoted for one diagnostic.
const maxSnippetLines = 10

// NewDiagnostics converts diags, quoting source lines from sources (file
// name → bytes, as config.Config.Sources holds them).
func NewDiagnostics(diags hcl.Diagnostics, sources map[string][]byte) []Diagnostic {
	files := newSourceSet(sources)
	out := make([]Diagnostic, 0, len(diags))
	for _, d := range diags {
		out = append(out, files.diagnostic(d))
	}
	return out
}

// NewDiagnostic converts one diagnostic; see NewDiagnostics.
func NewDiagnostic(d *hcl.Diagnostic, sources map[string][]byte) Diagnostic {
	return newSourceSet(sources).diagnostic(d)
}

// sourceSet holds the sources and what is parsed from them once: the
// files, for block context, and the spans of secrets that are never quoted.
type sourceSet struct {
	sources map[string][]byte
	parsed  map[string]*hcl.File
	secrets map[string][]span
}

func newSourceSet(sources map[string][]byte) *sourceSet {
	return &sourceSet{sources: sources, parsed: map[string]*hcl.File{}, secrets: map[string][]span{}}
}

// file parses filename once, tolerating syntax errors (the partial body is
// kept), and finds its secret spans.
func (s *sourceSet) file(filename string) *hcl.File {
	f, ok := s.parsed[filename]
	if ok {
		return f
	}
	if !config.CheckNesting(s.sources[filename], filename).HasErrors() { // a file nested too deeply is quoted, not parsed
		f, _ = hclsyntax.ParseConfig(s.sources[filename], filename, hcl.InitialPos)
	}
	s.parsed[filename] = f
	if f != nil {
		if body, ok := f.Body.(*hclsyntax.Body); ok {
			s.secrets[filename] = secretSpans(body)
		}
	}
	return f
}

func (s *sourceSet) diagnostic(d *hcl.Diagnostic) Diagnostic {
	out := Diagnostic{Severity: severity(d.Severity), Summary: d.Summary, Detail: d.Detail}
	if x, ok := hcl.DiagnosticExtra[extraProvider](d); ok {
		out.Extra = x.DiagnosticExtra()
	}
	if d.Subject == nil {
		return out
	}
	out.Range = newRange(*d.Subject)
	out.Snippet = s.snippet(d)
	return out
}

func severity(s hcl.DiagnosticSeverity) string {
	if s == hcl.DiagWarning {
		return "warning"
	}
	return "error"
}

func newRange(r hcl.Range) *Range {
	return &Range{
		Filename: r.Filename,
		Start:    Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:      Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}

// quotable reports whether a file's lines may be quoted. Variable files
// hold per-environment values, secrets among them, so diagnostics only
// point at them.
func quotable(filename string) bool {
	return !strings.HasSuffix(filename, ".dwvars")
}

// snippet quotes the lines around d's subject (widened to d's context when
// that is in the same file), or returns nil when the source is unknown or
// the lines would show a secret (see secretSpans).
func (s *sourceSet) snippet(d *hcl.Diagnostic) *Snippet {
	subj := *d.Subject
	src, ok := s.sources[subj.Filename]
	if !ok || !quotable(subj.Filename) || !inside(subj, len(src)) {
		return nil
	}
	hs, he := subj.Start.Byte, subj.End.Byte
	cs, ce := hs, he
	if c := d.Context; c != nil && c.Filename == subj.Filename {
		cs, ce = clampSpan(min(c.Start.Byte, hs), max(c.End.Byte, he), len(src))
	}
	lineStart, lineEnd := lineSpan(src, cs, ce)
	if bytes.Count(src[lineStart:lineEnd], []byte("\n")) >= maxSnippetLines {
		lineStart, lineEnd = lineSpan(src, hs, he)
		lineEnd = capLines(src, lineStart, lineEnd)
	}
	ctx := s.context(subj.Filename, hs)
	if overlapsSecret(s.secrets[subj.Filename], lineStart, lineEnd) {
		return nil
	}
	return &Snippet{
		Context:              ctx,
		Code:                 string(src[lineStart:lineEnd]),
		StartLine:            1 + bytes.Count(src[:lineStart], []byte("\n")),
		HighlightStartOffset: min(hs, lineEnd) - lineStart,
		HighlightEndOffset:   min(he, lineEnd) - lineStart,
	}
}

// inside reports whether r is a sane span of a source of n bytes; a range
// that is not (from a stale or foreign source) is not quoted.
func inside(r hcl.Range, n int) bool {
	return 0 <= r.Start.Byte && r.Start.Byte <= r.End.Byte && r.End.Byte <= n
}

// clampSpan puts start and end inside [0, n] with start <= end.
func clampSpan(start, end, n int) (int, int) {
	start = max(0, min(start, n))
	end = max(start, min(end, n))
	return start, end
}

// lineSpan widens [start, end) to whole lines, excluding the final newline.
// A span ending just after a newline does not pull in the next line.
func lineSpan(src []byte, start, end int) (int, int) {
	ls := bytes.LastIndexByte(src[:start], '\n') + 1
	last := end
	if end > start && src[end-1] == '\n' {
		last = end - 1
	}
	le := len(src)
	if i := bytes.IndexByte(src[last:], '\n'); i >= 0 {
		le = last + i
	}
	return ls, max(le, ls)
}

// capLines shortens [start, end) to at most maxSnippetLines lines.
func capLines(src []byte, start, end int) int {
	pos := start
	for range maxSnippetLines {
		i := bytes.IndexByte(src[pos:end], '\n')
		if i < 0 {
			return end
		}
		pos += i + 1
	}
	return pos - 1
}

// context names the top-level block of filename containing offset.
func (s *sourceSet) context(filename string, offset int) string {
	f := s.file(filename)
	if f == nil {
		return ""
	}
	nav, ok := f.Nav.(interface{ ContextString(int) string })
	if !ok {
		return ""
	}
	return nav.ContextString(offset)
}
