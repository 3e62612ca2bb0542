package config

import (
	"bytes"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// chunkedParseMin is the file size from which a file is parsed block by block: HCL's lexer holds
// every token of what it parses at once (about 40 bytes of memory per byte of source), so a
// configuration of thousands of maps in one file would need hundreds of MiB for tokens alone.
const chunkedParseMin = 1 << 20

// parseFile parses a configuration file. A large file is cut at the ends of its top-level blocks
// and each piece parsed on its own, with its true position, into one body that is the same as a
// parse of the whole. Whenever the cut is not certain (heredocs, strings across lines, unbalanced
// brackets) or a piece does not parse cleanly, the whole file is parsed instead, so diagnostics are
// always those of a whole-file parse.
func parseFile(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	if len(src) >= chunkedParseMin {
		if f, ok := parseChunks(src, filename); ok {
			return f, nil
		}
	}
	return parseWhole(src, filename)
}

func parseWhole(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
}

// parseChunks parses src piece by piece; ok is false when it cannot be cut with certainty or a
// piece has a diagnostic.
func parseChunks(src []byte, filename string) (*hcl.File, bool) {
	cuts, ok := topLevelCuts(src)
	if !ok || len(cuts) == 0 {
		return nil, false
	}
	body := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
	pos := hcl.InitialPos
	var first, last *hclsyntax.Body
	start := 0
	for _, end := range append(cuts, len(src)) {
		piece := src[start:end]
		f, diags := hclsyntax.ParseConfig(piece, filename, pos)
		if len(diags) > 0 || f == nil {
			return nil, false
		}
		b := f.Body.(*hclsyntax.Body)
		if first == nil {
			first = b
		}
		last = b
		for name, a := range b.Attributes {
			if _, dup := body.Attributes[name]; dup {
				return nil, false // the whole-file parse reports it
			}
			body.Attributes[name] = a
		}
		body.Blocks = append(body.Blocks, b.Blocks...)
		pos = advance(pos, piece)
		start = end
	}
	body.SrcRange = hcl.Range{Filename: filename, Start: first.SrcRange.Start, End: last.SrcRange.End}
	body.EndRange = last.EndRange
	return &hcl.File{Body: body, Bytes: src}, true
}

// advance returns the position after text that starts at pos.
func advance(pos hcl.Pos, text []byte) hcl.Pos {
	pos.Byte += len(text)
	if n := bytes.Count(text, []byte{'\n'}); n > 0 {
		pos.Line += n
		pos.Column = utf8.RuneCount(text[bytes.LastIndexByte(text, '\n')+1:]) + 1
	} else {
		pos.Column += utf8.RuneCount(text)
	}
	return pos
}

// topLevelCuts returns the offsets just after each line that ends a top-level block ("}" at
// bracket depth zero, then the line break), where src can be cut without splitting a token. It
// follows quoted strings (escapes, interpolations, which nest), heredocs, comments and brackets; it
// gives up (ok false) on anything it cannot follow with certainty: a line break inside a quoted
// string, unbalanced or mismatched brackets, an unclosed comment or heredoc, invalid UTF-8.
func topLevelCuts(src []byte) (cuts []int, ok bool) {
	if !utf8.Valid(src) {
		return nil, false
	}
	var open []byte // the closers expected, innermost last; 0 marks an interpolation's end
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			switch {
			case c == '\\':
				i++
			case c == '"':
				inString = false
			case c == '\n':
				return nil, false
			case (c == '$' || c == '%') && i+2 < len(src) && src[i+1] == c && src[i+2] == '{':
				i += 2 // $${ and %%{ are literal
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				i++
				open = append(open, 0)
				inString = false
			}
			continue
		}
		switch {
		case c == '#' || (c == '/' && i+1 < len(src) && src[i+1] == '/'):
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return nil, false
			}
			i += end + 3
		case c == '<' && i+1 < len(src) && src[i+1] == '<':
			end, ok := heredocEnd(src, i)
			if !ok {
				return nil, false
			}
			i = end - 1
		case c == '"':
			inString = true
		case c == '{':
			open = append(open, '}')
		case c == '[':
			open = append(open, ']')
		case c == '(':
			open = append(open, ')')
		case c == '}' || c == ']' || c == ')':
			if len(open) == 0 {
				return nil, false
			}
			want := open[len(open)-1]
			open = open[:len(open)-1]
			switch {
			case want == 0 && c == '}':
				inString = true // back in the string the interpolation opened in
			case want != c:
				return nil, false
			case c == '}' && len(open) == 0:
				j := i + 1
				for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r') {
					j++
				}
				if j < len(src) && src[j] == '\n' {
					cuts = append(cuts, j+1)
				}
			}
		}
	}
	if inString || len(open) > 0 {
		return nil, false
	}
	if n := len(cuts); n > 0 && cuts[n-1] == len(src) {
		cuts = cuts[:n-1]
	}
	return cuts, true
}

// heredocEnd returns the offset just after the heredoc that starts at src[i:] ("<<EOT" or "<<-EOT",
// a line break, lines, and a line holding only the marker).
func heredocEnd(src []byte, i int) (int, bool) {
	j := i + 2
	if j < len(src) && src[j] == '-' {
		j++
	}
	start := j
	for j < len(src) && (src[j] == '_' || src[j] == '-' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || j > start && src[j] >= '0' && src[j] <= '9') {
		j++
	}
	marker := src[start:j]
	if len(marker) == 0 {
		return 0, false
	}
	if j < len(src) && src[j] == '\r' {
		j++
	}
	if j >= len(src) || src[j] != '\n' {
		return 0, false
	}
	for line := j + 1; line < len(src); {
		next := bytes.IndexByte(src[line:], '\n')
		end := len(src)
		if next >= 0 {
			end = line + next
		}
		if bytes.Equal(bytes.TrimSpace(src[line:end]), marker) {
			return line + bytes.Index(src[line:end], marker) + len(marker), true
		}
		if next < 0 {
			break
		}
		line = end + 1
	}
	return 0, false
}
