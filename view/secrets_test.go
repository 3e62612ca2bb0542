package view

import (
	"bytes"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

const secretsSrc = `variable "client_secret" {
  type      = string
  sensitive = true
  default   = "hunter2-in-a-file"
}

variable "stage" {
  default = "dev"
}

environment "finops" "fo" {
  url = "https://contoso.operations.dynamics.com"
  auth {
    client_id     = var.client_id
    client_secret = "hunter3-in-a-file"
  }
}

dwctl {
  state "pg" { conn = "postgres://u:hunter4@db/x" }
}
`

// TestSecretsNeverQuoted checks that a diagnostic never quotes a line with
// a secret written literally, while other lines are still quoted.
func TestSecretsNeverQuoted(t *testing.T) {
	sources := map[string][]byte{"s.dw.hcl": []byte(secretsSrc)}
	span := func(s string) *hcl.Range {
		i := bytes.Index(sources["s.dw.hcl"], []byte(s))
		if i < 0 {
			t.Fatalf("%q not in source", s)
		}
		line := 1 + bytes.Count(sources["s.dw.hcl"][:i], []byte("\n"))
		return &hcl.Range{Filename: "s.dw.hcl", Start: hcl.Pos{Line: line, Column: 1, Byte: i},
			End: hcl.Pos{Line: line, Column: 1, Byte: i + len(s)}}
	}
	tests := map[string]struct {
		subject   string
		wantQuote bool
	}{
		"sensitive default":      {subject: `"hunter2-in-a-file"`},
		"sensitive block header": {subject: `sensitive = true`, wantQuote: true},
		"plain default":          {subject: `"dev"`, wantQuote: true},
		"auth literal":           {subject: `client_secret = "hunter3-in-a-file"`},
		"auth reference":         {subject: `var.client_id`, wantQuote: true},
		"state conn":             {subject: `conn`},
		"url beside auth":        {subject: `url`, wantQuote: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "S", Subject: span(tc.subject)}
			got := NewDiagnostic(d, sources)
			if (got.Snippet != nil) != tc.wantQuote {
				t.Fatalf("snippet %+v, want quoted = %v", got.Snippet, tc.wantQuote)
			}
			var b bytes.Buffer
			if err := (DiagnosticText{W: &b}).WriteOne(got); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b.Bytes(), []byte("hunter")) {
				t.Errorf("a secret is shown:\n%s", b.String())
			}
		})
	}
}
