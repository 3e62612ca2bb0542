// Package numbering models the two generators of record numbers that
// dual-write leaves unconnected — F&O number sequences and Dataverse
// autonumber columns — and proves, exactly, whether they can produce the same
// value.
//
// Formats:
//
//   - ParseFinOpsFormat parses an F&O format ("US-####", "&&-###"): constant
//     text, '#' digit positions and '&' letter positions. FinOpsFormat.Value
//     gives the value of one number; FinOpsFormat.Language the set of values
//     of smallest..largest (a *RangeError when they do not fit the format or
//     the range is empty).
//   - ParseAutoNumberFormat parses a Dataverse AutoNumberFormat with
//     {SEQNUM:n}, {RANDSTRING:n} and {DATETIMEUTC:fmt}.
//     AutoNumberFormat.Value gives one value; AutoNumberFormat.Language the
//     set of all values from a seed on (unbounded: {SEQNUM} keeps growing).
//   - Both parsers return a *ParseError carrying the byte offset and length
//     of the problem inside the format string.
//
// Decisions: a Language is a finite automaton accepting exactly the values a
// generator can produce — a numeric range is a chain of at most three states
// per position (prefix equal to the lower bound, to the upper bound, or
// strictly between), {SEQNUM:n} a union of such ranges per length plus an
// unbounded tail, a timestamp a union of scenarios that keeps days, months
// and leap years consistent. Intersect walks the product of two languages
// breadth first and returns either "disjoint" or the shortest, then byte-wise
// smallest, common value. Values are compared ignoring ASCII case, as both
// applications' keys are. Nothing is sampled, so "disjoint" is a proof.
//
//   - Collide(FinOpsSequence, AutoNumber) decides one pairing.
//   - CheckAll([]Pair) checks a whole configuration and returns Findings (the
//     two sides named, the witness in Finding.Witness and Finding.Detail).
//   - FinOpsUsage and AutoNumberFormat.CheckLength give the data for live
//     warnings: usage of an F&O range, values longer than a column's MaxLength.
//
// The package is pure: no I/O, no logging, no clock. It must never import
// config, planner, providers, emulator or any other dwctl package; it may be
// imported by all of them (the emulator can use AutoNumberFormat.Value).
//
// Import rule: only none
package numbering
