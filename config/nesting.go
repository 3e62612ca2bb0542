package config

import (
	"fmt"

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
func CheckNesting(src []byte, filename string) hcl.Diagnostics {
	tokens, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	return checkTokens(tokens)
}

// CheckExpressionNesting is CheckNesting for a lone expression.
func CheckExpressionNesting(src []byte, filename string) hcl.Diagnostics {
	tokens, _ := hclsyntax.LexExpression(src, filename, hcl.InitialPos)
	return checkTokens(tokens)
}

func checkTokens(tokens hclsyntax.Tokens) hcl.Diagnostics {
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
		if depth+top.unary > MaxNesting {
			rng := tok.Range
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Nested too deeply",
				Detail: fmt.Sprintf("Expressions and blocks may nest at most %d levels (brackets, parentheses, braces, "+
					"interpolations, conditionals and unary operators together); this one goes deeper here. "+
					"Split it with local values.", MaxNesting),
				Subject: &rng,
			}}
		}
	}
	return nil
}
