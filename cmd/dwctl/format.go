package main

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
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
// not parse is not formatted; its syntax errors are returned instead.
func formatSource(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return nil, diags
	}
	crlf, lf := []byte("\r\n"), []byte("\n")
	out := hclwrite.Format(bytes.ReplaceAll(src, crlf, lf))
	out = bytes.TrimRight(bytes.ReplaceAll(out, crlf, lf), " \t\r\n")
	if len(out) == 0 {
		return []byte{}, nil
	}
	return append(out, '\n'), nil
}
