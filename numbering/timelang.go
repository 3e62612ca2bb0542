package numbering

import (
	"slices"
	"strings"
)

// A timestamp's text is a function of its components, and the components are
// not independent: the day depends on the month (and, for 29 February, on
// the year), and a component printed twice (hh and tt, yyyy and yy) must be
// the same both times. The language of a set of date-time tokens is built as
// a union of scenarios; within one scenario every component ranges over a
// set of its own, independent of the others, so each token's language can be
// built alone and the tokens concatenated. The union is exact: every valid
// timestamp from 0001-01-01 to 9999-12-31 falls in some scenario, and every
// scenario admits only valid timestamps.

// scenario restricts each component to a list of values; nil is every value.
type scenario [fieldCount][]int

// maxScenarios bounds the union: formats that print the same component many
// ways multiply it.
const maxScenarios = 10_000

func domain(f timeField) []int {
	lo, hi := 0, 59
	switch f {
	case fieldYear:
		lo, hi = 1, 9999
	case fieldMonth:
		lo, hi = 1, 12
	case fieldDay:
		lo, hi = 1, 31
	case fieldHour:
		hi = 23
	case fieldFraction:
		hi = 9999999
	}
	out := make([]int, 0, hi-lo+1)
	for v := lo; v <= hi; v++ {
		out = append(out, v)
	}
	return out
}

func daysIn(month int) int {
	switch month {
	case 2:
		return 29
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func leapYears() []int {
	var out []int
	for y := 1; y <= 9999; y++ {
		if isLeap(y) {
			out = append(out, y)
		}
	}
	return out
}

func span(lo, hi int) []int {
	out := make([]int, 0, hi-lo+1)
	for v := lo; v <= hi; v++ {
		out = append(out, v)
	}
	return out
}

// scenarios splits the timestamps the tokens can print into scenarios.
// whole is the autonumber format, for error offsets.
func scenarios(whole string, tokens []timeToken) ([]scenario, error) {
	var uses [fieldCount][]timeToken
	for _, t := range tokens {
		if t.field != fieldNone {
			uses[t.field] = append(uses[t.field], t)
		}
	}
	out := []scenario{{}}
	if len(uses[fieldDay]) > 0 && len(uses[fieldMonth]) > 0 {
		out = out[:0]
		for m := 1; m <= 12; m++ {
			var sc scenario
			sc[fieldMonth] = []int{m}
			days := daysIn(m)
			if m == 2 && len(uses[fieldYear]) > 0 {
				leap := scenario{}
				leap[fieldMonth], leap[fieldDay], leap[fieldYear] = []int{2}, []int{29}, leapYears()
				out = append(out, leap)
				days = 28
			}
			sc[fieldDay] = span(1, days)
			out = append(out, sc)
		}
	}
	for f := range fieldCount {
		if len(uses[f]) < 2 {
			continue
		}
		var err error
		if out, err = pin(whole, out, f, uses[f]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// pin splits every scenario into one per distinct output of the component's
// tokens, so the tokens printing it agree.
func pin(whole string, in []scenario, f timeField, toks []timeToken) ([]scenario, error) {
	again := toks[1]
	if f == fieldFraction {
		for _, t := range toks {
			if t.count > 3 {
				return nil, parseErr(whole, again.offset, again.count,
					"fractions of a second printed more than once may have at most 3 digits each to be analysed exactly")
			}
		}
	}
	var out []scenario
	for _, sc := range in {
		values := sc[f]
		if values == nil {
			values = pinDomain(f, toks)
		}
		seen := map[string]bool{}
		for _, v := range values {
			var c components
			c[f] = v
			var key strings.Builder
			for _, t := range toks {
				key.WriteString(t.format(c))
				key.WriteByte(0)
			}
			if seen[key.String()] {
				continue
			}
			seen[key.String()] = true
			next := sc
			next[f] = []int{v}
			out = append(out, next)
			if len(out) > maxScenarios {
				return nil, parseErr(whole, again.offset, again.count,
					"this part of the date is printed again in another way, too often to be analysed exactly; print each part once")
			}
		}
	}
	return out, nil
}

// pinDomain is the values worth trying for a component printed by several
// tokens: fractions only to the precision printed.
func pinDomain(f timeField, toks []timeToken) []int {
	if f != fieldFraction {
		return domain(f)
	}
	digits := 0
	for _, t := range toks {
		digits = max(digits, t.count)
	}
	scale := 1
	for range 7 - digits {
		scale *= 10
	}
	var out []int
	for v := 0; v*scale <= 9999999; v++ {
		out = append(out, v*scale)
	}
	return out
}

// token builds the language of one token within a scenario.
func (b *builder) token(t timeToken, sc scenario) frag {
	if t.field == fieldNone {
		return b.lit(t.text)
	}
	values := sc[t.field]
	if values == nil {
		switch {
		case t.letter == 'f':
			return b.repeat(t.count, digitRange)
		case t.letter == 'F':
			parts := []frag{b.epsilon()}
			for n := 1; n <= t.count; n++ {
				parts = append(parts, b.concat(b.repeat(n-1, digitRange), b.class(byteRange{'1', '9'})))
			}
			return b.union(parts...)
		case t.letter == 'y' && t.count >= 3:
			return b.decimal(1, 9999, true, t.count)
		}
		values = domain(t.field)
	}
	seen := map[string]bool{}
	var texts []string
	for _, v := range values {
		var c components
		c[t.field] = v
		if s := t.format(c); !seen[s] {
			seen[s] = true
			texts = append(texts, s)
		}
	}
	slices.Sort(texts)
	return b.strings(texts)
}
