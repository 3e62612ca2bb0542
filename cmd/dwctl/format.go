package main

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/dwctl/dwctl/config"
)

// formatSuffixes are the file name endings dwctl fmt formats.
var formatSuffixes = []string{".dw.hcl", ".dwvars", ".dwtest.hcl"}

// formattable reports whether name is a file dwctl fmt formats.
func formattable(name string) bool {
	for _, s := range formatSuffixes {
		if strings.HasSuffix(name, s) && len(name) > len(s) {
			return true
		}
	}
	return false
}

// formatSource returns the canonical form of an HCL file: hclwrite's
// layout, LF line endings and exactly one final newline. A file that does
// not parse is not formatted; its syntax errors are returned instead. The
// result is parsed again, so fmt never writes a file it has broken.
func formatSource(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	if diags := checkSyntax(src, filename); diags.HasErrors() {
		return nil, diags
	}
	crlf, lf := []byte("\r\n"), []byte("\n")
	out := hclwrite.Format(bytes.ReplaceAll(src, crlf, lf))
	out = bytes.TrimRight(bytes.ReplaceAll(out, crlf, lf), " \t\r\n")
	if len(out) == 0 {
		return []byte{}, nil
	}
	out = append(out, '\n')
	if diags := checkSyntax(out, filename); diags.HasErrors() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot format this file",
			Detail:   "The formatted text would not parse, so " + filename + " was left unchanged. Correct the file by hand.",
		}}
	}
	return out, nil
}

// checkSyntax parses src as HCL and also rejects bytes that are not UTF-8,
// which the parser misses at the very end of a file.
func checkSyntax(src []byte, filename string) hcl.Diagnostics {
	if diags := config.CheckNesting(src, filename); diags.HasErrors() {
		return diags
	}
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return diags
	}
	if utf8.Valid(src) {
		return nil
	}
	i := 0
	for i < len(src) {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	line := 1 + bytes.Count(src[:i], []byte("\n"))
	col := 1 + utf8.RuneCount(src[bytes.LastIndexByte(src[:i], '\n')+1:i])
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid character encoding",
		Detail:   "The file is not UTF-8 text. Save it as UTF-8 in your editor.",
		Subject: &hcl.Range{Filename: filename, Start: hcl.Pos{Line: line, Column: col, Byte: i},
			End: hcl.Pos{Line: line, Column: col + 1, Byte: i + 1}},
	}}
}
