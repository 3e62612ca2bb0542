package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/dwctl/dwctl/numbering"
)

// checkNumberFormats proves the number sequences apart (DESIGN §7) with the
// numbering package: every format must parse and its numbers fit it, every
// F&O sequence must be disjoint from the Dataverse autonumber it feeds, a
// Dataverse column must be declared one way by every block naming it, and
// two F&O sequences feeding one column must not both number rows of one
// company with the same value. A collision is an error on the
// number_sequence block; its Extra carries the colliding value for
// `validate -json`.
func (l *loader) checkNumberFormats() {
	seqs := bySource(l.cfg.NumberSequences)
	pairs := make([]numbering.Pair, len(seqs))
	for i, ns := range seqs {
		pairs[i] = numberingPair(ns)
	}
	for _, f := range numbering.CheckAll(pairs) {
		l.diags = append(l.diags, l.numberingDiagnostic(f, seqs))
	}
}

// numberingPair converts a block, leaving out a side that did not decode
// (its own diagnostic is already reported). A Dataverse side without a seed
// is taken to continue from any number: offline, nothing tells where the
// column's sequence stands.
func numberingPair(ns *NumberSequence) numbering.Pair {
	p := numbering.Pair{Name: ns.Address}
	if fo := ns.FinOps; fo != nil && fo.Scope != "" && fo.Format != "" {
		p.FinOps = &numbering.FinOpsSequence{Code: fo.Code, Scope: fo.Scope, Company: fo.Company,
			Format: fo.Format, Smallest: fo.Smallest, Largest: fo.Largest}
		// The default largest counts only '#' positions; where the format's
		// '&' positions hold fewer numbers, the form's default is what fits.
		if f, err := numbering.ParseFinOpsFormat(fo.Format); err == nil && fo.Largest == defaultLargest(fo.Format) {
			_, hi := f.Numbers()
			p.FinOps.Largest = min(fo.Largest, hi)
		}
	}
	if dv := ns.Dataverse; dv != nil && dv.Table != "" && dv.Column != "" && dv.Format != "" {
		p.Dataverse = &numbering.AutoNumber{Table: dv.Table, Column: dv.Column, Format: dv.Format, Seed: dv.Seed}
	}
	return p
}

// numberingExtra is the machine-readable detail of a number-sequence
// diagnostic (the witness of a collision), shown by `validate -json`.
type numberingExtra struct {
	finding numbering.Finding
	other   string
}

// DiagnosticExtra returns e.g. {"witness": "US5000", "kind": "collision", ...}.
func (e numberingExtra) DiagnosticExtra() map[string]any {
	d := e.finding.Detail()
	if e.other != "" {
		d["other"] = e.other
	}
	return d
}

func (l *loader) numberingDiagnostic(f numbering.Finding, seqs []*NumberSequence) *hcl.Diagnostic {
	ns := seqs[f.Pair]
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Subject: rangePtr(ns.DeclRange)}
	extra := numberingExtra{finding: f}
	if f.Other >= 0 {
		extra.other = seqs[f.Other].Address
	}
	switch f.Kind {
	case numbering.Invalid:
		return l.invalidNumbering(f, ns)
	case numbering.Collision:
		d.Summary = "Number sequences can collide"
		d.Detail = fmt.Sprintf("%s. Records created in both apps would get the same key. %s", f.Message, collisionAdvice(f, extra.other))
		if f.Other < 0 && ns.Dataverse != nil && !ns.Dataverse.HasSeed && strings.Contains(ns.Dataverse.Format, "{SEQNUM:") {
			d.Detail += " No seed is set, so the column may continue from any number; set seed to where it starts."
		}
	case numbering.Conflict:
		d.Summary = "Conflicting number sequence declarations"
		d.Detail = f.Message + "."
	case numbering.Undecided:
		d.Severity = hcl.DiagWarning
		d.Summary = "Number sequences not proven apart"
		d.Detail = f.Message + "."
	}
	d.Extra = extra
	return d
}

func collisionAdvice(f numbering.Finding, other string) string {
	if other != "" {
		return fmt.Sprintf("The other sequence is declared by %s; give the two sequences different formats or disjoint ranges.", other)
	}
	return "Give the apps different prefixes (F0001 and C0001) or disjoint ranges (US0001–US4999 in F&O, the Dataverse seed at 5000)."
}

// invalidNumbering reports a format that does not parse at the offending
// characters, and numbers that do not suit the format at the side's block.
func (l *loader) invalidNumbering(f numbering.Finding, ns *NumberSequence) *hcl.Diagnostic {
	var text *Text
	var block hcl.Range
	what := "Dataverse autonumber format"
	if f.Side == "finops" {
		text, block, what = ns.FinOps.FormatText, ns.FinOps.DeclRange, "F&O number sequence format"
	} else {
		text, block = ns.Dataverse.FormatText, ns.Dataverse.DeclRange
	}
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Subject: rangePtr(block), Extra: numberingExtra{finding: f}}
	var perr *numbering.ParseError
	var rerr *numbering.RangeError
	switch {
	case errors.As(f.Err, &perr):
		d.Summary = "Invalid " + what
		d.Detail = fmt.Sprintf("In %s: %s.", f.A, perr.Message)
		if text != nil {
			d.Subject = rangePtr(text.SourceRange(l.cfg.Sources[text.File], perr.Offset, perr.Offset+perr.Length))
		}
	case errors.As(f.Err, &rerr) && rerr.Empty:
		d.Summary = "Number sequence cannot produce any value"
		d.Detail = fmt.Sprintf("In %s: %s.", f.A, rerr.Message)
	case errors.As(f.Err, &rerr):
		d.Summary = "Number range does not fit the format"
		d.Detail = fmt.Sprintf("In %s: %s.", f.A, rerr.Message)
	default:
		d.Summary = "Invalid number sequence"
		d.Detail = f.Message + "."
	}
	return d
}

func rangePtr(r hcl.Range) *hcl.Range { return &r }

// CheckAutoNumberLengths compares the values of every declared Dataverse
// autonumber with its column's MaxLength, as `validate -live` reads it from
// metadata: maxLength returns it for a table and column, or false when the
// column is unknown. A format whose values at the seed do not fit is a
// warning, and so is one that outgrows the column within the numbers left.
func (c *Config) CheckAutoNumberLengths(maxLength func(table, column string) (int, bool)) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, ns := range bySource(c.NumberSequences) {
		dv := ns.Dataverse
		if dv == nil || dv.Format == "" {
			continue
		}
		limit, ok := maxLength(dv.Table, dv.Column)
		if !ok {
			continue
		}
		f, err := numbering.ParseAutoNumberFormat(dv.Format)
		if err != nil {
			continue // reported offline
		}
		r := f.CheckLength(dv.Seed, limit)
		if r.Exceeds == nil {
			continue
		}
		detail := fmt.Sprintf("Values of %q from sequence number %s on are longer than the %d characters of %s.%s",
			dv.Format, r.Exceeds, limit, dv.Table, dv.Column)
		if !r.Fits {
			detail = fmt.Sprintf("Values of %q are up to %d characters long, more than the %d characters of %s.%s",
				dv.Format, r.Longest, limit, dv.Table, dv.Column)
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Autonumber values can exceed the column length",
			Detail:   detail + "; Dataverse fails to save such rows. Raise the column's MaxLength or shorten the format.",
			Subject:  rangePtr(dv.FormatRange),
		})
	}
	return diags
}
