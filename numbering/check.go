package numbering

import (
	"fmt"
	"slices"
)

// Pair is one declared pairing of an F&O sequence with the Dataverse
// autonumber column its values land in (a number_sequence block). Either
// side may be nil when only the other is declared.
type Pair struct {
	// Name identifies the pair to the caller, e.g. its configuration address.
	Name      string
	FinOps    *FinOpsSequence
	Dataverse *AutoNumber
}

// FindingKind classifies a Finding.
type FindingKind string

// The kinds of findings.
const (
	// Invalid: a format does not parse, or its numbers do not suit it
	// (Err is a *ParseError or *RangeError).
	Invalid FindingKind = "invalid"
	// Collision: two generators can produce the same value (Witness).
	Collision FindingKind = "collision"
	// Conflict: two pairs declare one thing two ways (one Dataverse column
	// with different formats or seeds, or one F&O sequence differently).
	Conflict FindingKind = "conflict"
	// Undecided: the formats are too complex to compare exactly (Err).
	Undecided FindingKind = "undecided"
)

// Finding is one problem CheckAll found.
type Finding struct {
	Kind FindingKind
	// Pair is the index of the pair the finding is reported on; Other the
	// index of the second pair involved, or -1.
	Pair, Other int
	// Side is "finops" or "dataverse" for an Invalid finding: the side at fault.
	Side string
	// A and B name the two generators involved (B is empty for Invalid).
	A, B string
	// Witness is the colliding value of a Collision.
	Witness Witness
	Err     error
	// Message is the whole finding as a sentence.
	Message string
}

// Detail returns the finding as data for machine-readable output.
func (f Finding) Detail() map[string]any {
	d := map[string]any{"kind": string(f.Kind), "a": f.A}
	if f.B != "" {
		d["b"] = f.B
	}
	if f.Kind == Collision {
		d["witness"] = f.Witness.Value
		d["a_value"] = f.Witness.A
		d["b_value"] = f.Witness.B
	}
	return d
}

// compiled holds a pair's parsed languages (nil where invalid).
type compiled struct {
	fo, dv *Language
}

// CheckAll checks a whole set of pairs: each F&O sequence against the
// Dataverse autonumber it is paired with; every two pairs on one Dataverse
// column for a consistent declaration of that column (one autonumber serves
// all companies); and every two F&O sequences feeding one column that can
// number rows of the same company (company-scoped sequences repeat their
// values in every company, which the company-striped Dataverse key tells
// apart, but two sequences of one company, or a shared one, cannot). The
// findings are in pair order.
func CheckAll(pairs []Pair) []Finding {
	var out []Finding
	langs := make([]compiled, len(pairs))
	for i, p := range pairs {
		langs[i], out = compile(i, p, out)
	}
	for i, p := range pairs {
		if langs[i].fo != nil && langs[i].dv != nil {
			out = appendCollision(out, i, -1, p.FinOps.Name(), p.Dataverse.Name(), langs[i].fo, langs[i].dv)
		}
		for j := range i {
			out = checkAcross(out, pairs, langs, j, i)
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int { return a.Pair - b.Pair })
	return out
}

func compile(i int, p Pair, out []Finding) (compiled, []Finding) {
	var c compiled
	var err error
	if p.FinOps != nil {
		if err = CheckScope(p.FinOps.Scope); err != nil {
			out = append(out, invalid(i, "finops", p.FinOps.Name(), err))
		} else if c.fo, err = p.FinOps.Language(); err != nil {
			out = append(out, invalid(i, "finops", p.FinOps.Name(), err))
		}
	}
	if p.Dataverse != nil {
		if c.dv, err = p.Dataverse.Language(); err != nil {
			out = append(out, invalid(i, "dataverse", p.Dataverse.Name(), err))
		}
	}
	return c, out
}

func invalid(i int, side, name string, err error) Finding {
	return Finding{Kind: Invalid, Pair: i, Other: -1, Side: side, A: name, Err: err,
		Message: fmt.Sprintf("%s: %v", name, err)}
}

// checkAcross compares pair i with an earlier pair j.
func checkAcross(out []Finding, pairs []Pair, langs []compiled, j, i int) []Finding {
	pj, pi := pairs[j], pairs[i]
	sameColumn := pj.Dataverse != nil && pi.Dataverse != nil && pj.Dataverse.key() == pi.Dataverse.key()
	if sameColumn && (pj.Dataverse.Format != pi.Dataverse.Format || pj.Dataverse.Seed != pi.Dataverse.Seed) {
		out = append(out, Finding{Kind: Conflict, Pair: i, Other: j, A: pi.Dataverse.Name(), B: pj.Dataverse.Name(),
			Message: fmt.Sprintf("%s is declared by %s with format %q and seed %d, but by %s with format %q and seed %d; "+
				"a column has one autonumber format and seed for all companies",
				pi.Dataverse.Name(), pi.Name, pi.Dataverse.Format, pi.Dataverse.Seed,
				pj.Name, pj.Dataverse.Format, pj.Dataverse.Seed)})
	}
	if pj.FinOps == nil || pi.FinOps == nil {
		return out
	}
	if pj.FinOps.same(*pi.FinOps) {
		if *pj.FinOps != *pi.FinOps {
			out = append(out, Finding{Kind: Conflict, Pair: i, Other: j, A: pi.FinOps.Name(), B: pj.FinOps.Name(),
				Message: fmt.Sprintf("%s is declared differently by %s and %s (format, smallest or largest)",
					pi.FinOps.Name(), pi.Name, pj.Name)})
		}
		return out
	}
	if !sameColumn || !pj.FinOps.reaches(*pi.FinOps) || langs[i].fo == nil || langs[j].fo == nil {
		return out
	}
	return appendCollision(out, i, j, pi.FinOps.Name(), pj.FinOps.Name(), langs[i].fo, langs[j].fo)
}

func appendCollision(out []Finding, i, j int, a, b string, la, lb *Language) []Finding {
	w, ok, err := Intersect(la, lb)
	switch {
	case err != nil:
		return append(out, Finding{Kind: Undecided, Pair: i, Other: j, A: a, B: b, Err: err,
			Message: fmt.Sprintf("cannot decide whether %s and %s can produce the same value: %v", a, b, err)})
	case !ok:
		return out
	}
	return append(out, Finding{Kind: Collision, Pair: i, Other: j, A: a, B: b, Witness: w,
		Message: collisionMessage(a, b, w)})
}

func collisionMessage(a, b string, w Witness) string {
	if w.A == w.B {
		return fmt.Sprintf("%s and %s can both produce '%s'", a, b, w.A)
	}
	return fmt.Sprintf("%s can produce '%s' and %s '%s', the same key ignoring case", a, w.A, b, w.B)
}
