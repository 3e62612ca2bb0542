package view

import (
	"regexp"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// span is a half-open byte range of a source file.
type span struct{ start, end int }

// secretSpans finds the values written literally in sensitive places of a
// configuration file: anything under an auth block, a state block's conn,
// and the default of a variable marked sensitive. A snippet that would
// quote one of them is not shown, so a secret typed into a file cannot
// reach a diagnostic. References such as var.client_secret are not
// literals and stay quotable.
func secretSpans(body *hclsyntax.Body) []span {
	var out []span
	for _, b := range body.Blocks {
		if b.Type == "variable" && isTrue(b.Body.Attributes["sensitive"]) {
			out = appendLiteral(out, b.Body.Attributes["default"])
		}
	}
	return append(out, nestedSecretSpans(body, false)...)
}

// nestedSecretSpans collects, at any depth, the literal attributes of auth
// blocks and the conn of state blocks.
func nestedSecretSpans(body *hclsyntax.Body, inAuth bool) []span {
	var out []span
	for _, a := range body.Attributes {
		if inAuth || hasUserInfo(a.Expr) {
			out = appendLiteral(out, a)
		}
	}
	for _, b := range body.Blocks {
		if b.Type == "state" {
			out = appendLiteral(out, b.Body.Attributes["conn"])
		}
		out = append(out, nestedSecretSpans(b.Body, inAuth || b.Type == "auth")...)
	}
	return out
}

// appendLiteral adds the value range of a when its expression contains a
// literal value.
func appendLiteral(out []span, a *hclsyntax.Attribute) []span {
	if a == nil || !hasLiteral(a.Expr) {
		return out
	}
	r := a.Expr.Range()
	return append(out, span{r.Start.Byte, r.End.Byte})
}

func hasLiteral(e hclsyntax.Expression) bool {
	found := false
	_ = hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics {
		if _, ok := n.(*hclsyntax.LiteralValueExpr); ok {
			found = true
		}
		return nil
	})
	return found
}

// userInfo matches a URL that carries a user name or password.
var userInfo = regexp.MustCompile(`://[^/\s"@]*@`)

// hasUserInfo reports whether an expression's literal text holds a URL with
// user information (a password, perhaps), which config refuses and a
// diagnostic must not quote.
func hasUserInfo(e hclsyntax.Expression) bool {
	found := false
	_ = hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics {
		if l, ok := n.(*hclsyntax.LiteralValueExpr); ok && l.Val.Type() == cty.String && !l.Val.IsNull() && userInfo.MatchString(l.Val.AsString()) {
			found = true
		}
		return nil
	})
	return found
}

func isTrue(a *hclsyntax.Attribute) bool {
	if a == nil {
		return false
	}
	v, diags := a.Expr.Value(nil)
	return !diags.HasErrors() && v.Type() == cty.Bool && v.IsKnown() && !v.IsNull() && v.True()
}

// overlapsSecret reports whether [start, end) shares a byte with a span.
func overlapsSecret(spans []span, start, end int) bool {
	for _, s := range spans {
		if start < s.end && s.start < end {
			return true
		}
	}
	return false
}
