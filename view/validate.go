package view

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// ValidateResult is what dwctl validate reports; it is also exactly the
// JSON document of validate -json.
type ValidateResult struct {
	Valid        bool         `json:"valid"`
	ErrorCount   int          `json:"error_count"`
	WarningCount int          `json:"warning_count"`
	Diagnostics  []Diagnostic `json:"diagnostics"`
}

// NewValidateResult counts diags and converts them with source snippets.
func NewValidateResult(diags hcl.Diagnostics, sources map[string][]byte) ValidateResult {
	r := ValidateResult{Diagnostics: NewDiagnostics(diags, sources)}
	for _, d := range r.Diagnostics {
		if d.Severity == "error" {
			r.ErrorCount++
		} else {
			r.WarningCount++
		}
	}
	r.Valid = r.ErrorCount == 0
	return r
}

// Validate shows the result of dwctl validate.
type Validate struct {
	Streams
	// JSON selects the JSON document on Out instead of text.
	JSON bool
}

// Result prints r: as one JSON document on Out, or as diagnostics on Err
// followed, when valid, by a success message on Out.
func (v Validate) Result(r ValidateResult) error {
	if v.JSON {
		return writeJSON(v.Out, r)
	}
	if err := v.Diagnostics(r.Diagnostics); err != nil {
		return err
	}
	if !r.Valid {
		return nil
	}
	msg := "The configuration is valid."
	if r.WarningCount > 0 {
		msg = "The configuration is valid, but there were some validation warnings as shown above."
	}
	_, err := fmt.Fprintf(v.Out, "%s %s\n", paint(v.OutColor, ansiBold+ansiGreen, "Success!"), msg)
	return err
}

// Diagnostics renders diags as text on Err.
func (s Streams) Diagnostics(diags []Diagnostic) error {
	return DiagnosticText{W: s.Err, Color: s.ErrColor, Width: s.Width}.Write(diags)
}
