package config

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// MaxNesting is how deeply expressions and blocks may nest: brackets,
// parentheses, braces, template interpolations, unary operators and
// conditionals together. The HCL parser recurses once per level, so an
// input nested 100,000 deep would exhaust the stack; real configurations
// nest a few levels.
const MaxNesting = 256

// CheckNesting scans src with the HCL scanner, which does not recurse, and
// reports the first place where the nesting goes past MaxNesting, before
// anything parses it. A source that does not scan is left to the parser's
// own diagnostics.
//
// Most files are far from the limit: a byte scan that can only overestimate
// the nesting (nestingBound) clears them without building the token list;
// the others, and every file the scan is unsure of, get the exact check.
func CheckNesting(src []byte, filename string) hcl.Diagnostics {
	if bound, sure := nestingBound(src); sure && bound <= MaxNesting {
		return nil
	}
	tokens, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	return checkTokens(tokens)
}

// nestingBound scans src byte by byte and returns a number that is at least
// the nesting checkTokens computes at every token, or sure = false where
// it cannot tell (heredocs, a line break inside a quoted string). It
// follows quoted strings (escapes, $${ and %%{ literals, interpolations and
// directives, which nest) and comments, counts every bracket, every "?"
// until its bracket level closes (checkTokens lets it go at a line end,
// comma or "=") and every run of "-" and "!" as unary operators.
func nestingBound(src []byte) (bound int, sure bool) {
	type level struct {
		ternary int
		closer  byte // the bracket that closes it
		interp  bool // closing it returns to the quoted string it opened in
	}
	if !utf8.Valid(src) {
		return 0, false // the scanner reads invalid bytes its own way
	}
	levels := []level{{}}
	depth, unary, best := 0, 0, 0
	inString := false
	note := func() {
		best = max(best, depth+unary)
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			switch {
			case c == '\\':
				i++
			case c == '"':
				inString = false
			case c == '\n':
				return 0, false
			case (c == '$' || c == '%') && i+2 < len(src) && src[i+1] == c && src[i+2] == '{':
				i += 2 // $${ and %%{ are literal
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				i++
				depth++
				levels = append(levels, level{closer: '}', interp: true})
				inString = false
				note()
			}
			continue
		}
		switch c {
		case ' ', '\t', '\r':
			continue
		case '\n':
			unary = 0
			continue
		case '-', '!':
			if c == '!' && i+1 < len(src) && src[i+1] == '=' {
				unary = 0
				i++
				continue
			}
			unary++
			note()
			continue
		}
		if (c == '}' || c == ']' || c == ')') && len(levels) == 1 {
			continue // the token check ignores a closer with nothing open, unary operators included
		}
		unary = 0
		switch {
		case c == '#' || (c == '/' && i+1 < len(src) && src[i+1] == '/'):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return 0, false // unclosed: the scanner reads on
			}
			i += end + 3
		case c == '<' && i+1 < len(src) && src[i+1] == '<':
			return 0, false // a heredoc
		case c == '"':
			inString = true
		case c == '{' || c == '[' || c == '(':
			depth++
			levels = append(levels, level{closer: map[byte]byte{'{': '}', '[': ']', '(': ')'}[c]})
		case c == '?':
			levels[len(levels)-1].ternary++
			depth++
		case c == '}' || c == ']' || c == ')':
			if len(levels) > 1 {
				top := levels[len(levels)-1]
				if c != top.closer {
					return 0, false // mismatched: the scanner may read it otherwise
				}
				depth -= 1 + top.ternary
				levels = levels[:len(levels)-1]
				inString = top.interp
			}
		}
		note()
	}
	return best, true
}

// CheckExpressionNesting is CheckNesting for a lone expression.
func CheckExpressionNesting(src []byte, filename string) hcl.Diagnostics {
	tokens, _ := hclsyntax.LexExpression(src, filename, hcl.InitialPos)
	return checkTokens(tokens)
}

func checkTokens(tokens hclsyntax.Tokens) hcl.Diagnostics {
	_, at := nestingOf(tokens)
	if at == nil {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Nested too deeply",
		Detail: fmt.Sprintf("Expressions and blocks may nest at most %d levels (brackets, parentheses, braces, "+
			"interpolations, conditionals and unary operators together); this one goes deeper here. "+
			"Split it with local values.", MaxNesting),
		Subject: at,
	}}
}

// nestingOf returns the deepest nesting of the tokens and the range of the
// first token past MaxNesting (nil when none is).
func nestingOf(tokens hclsyntax.Tokens) (deepest int, at *hcl.Range) {
	// levels holds, per open bracket, the conditionals and unary operators
	// that are open at that bracket level.
	type level struct{ ternary, unary int }
	levels := []level{{}}
	depth := 0
	for _, tok := range tokens {
		top := &levels[len(levels)-1]
		switch tok.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			top.unary = 0
			depth++
			levels = append(levels, level{})
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
			if len(levels) > 1 {
				depth -= 1 + levels[len(levels)-1].ternary
				levels = levels[:len(levels)-1]
			}
		case hclsyntax.TokenQuestion:
			top.ternary++
			top.unary = 0
			depth++
		case hclsyntax.TokenMinus, hclsyntax.TokenBang:
			top.unary++
		case hclsyntax.TokenNewline, hclsyntax.TokenComma, hclsyntax.TokenEqual:
			depth -= top.ternary
			top.ternary, top.unary = 0, 0
		default:
			top.unary = 0
		}
		deepest = max(deepest, depth+top.unary)
		if depth+top.unary > MaxNesting && at == nil {
			rng := tok.Range
			at = &rng
		}
	}
	return deepest, at
}
