package numbering

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ItemKind is the kind of an element of a Dataverse AutoNumberFormat.
type ItemKind int

// The kinds of AutoNumberFormat items.
const (
	// Literal text, copied into every value.
	Literal ItemKind = iota
	// SeqNum is {SEQNUM:n}: the sequence number zero-padded to at least n
	// digits, growing past n digits without bound.
	SeqNum
	// RandString is {RANDSTRING:n}: n random characters of RandStringAlphabet.
	RandString
	// DateTimeUTC is {DATETIMEUTC:fmt}: the creation time in UTC.
	DateTimeUTC
)

// RandStringAlphabet is the set of characters {RANDSTRING:n} draws from.
// Microsoft documents the placeholder only as a "random string" and every
// documented value ("AB7LSFG", "AB7LSF", "WXYZ") consists of upper case letters
// and digits, so dwctl takes the 36 upper case alphanumerics [I]. Keys are
// compared without regard to case, so a lower case variant of the alphabet
// would decide every collision the same way.
const RandStringAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// MaxSeqNumWidth is the largest n accepted in {SEQNUM:n}: the maximum length
// of a Dataverse text column.
const MaxSeqNumWidth = 4000

// DefaultSeed is the sequence number a new autonumber column starts from [D].
const DefaultSeed = 1000

// Item is one element of an AutoNumberFormat.
type Item struct {
	Kind   ItemKind
	Text   string // the literal text, or the placeholder as written
	Offset int    // byte offset in the format
	// Width is n of {SEQNUM:n} and {RANDSTRING:n}.
	Width int
	// Time is the format of {DATETIMEUTC:fmt}.
	Time *DateTimeFormat
}

// AutoNumberFormat is a parsed Dataverse AutoNumberFormat such as
// "CAS-{SEQNUM:6}-{RANDSTRING:4}".
type AutoNumberFormat struct {
	Source    string
	Items     []Item
	scenarios []scenario // of the DATETIMEUTC tokens together
}

// ParseAutoNumberFormat parses a Dataverse AutoNumberFormat. A '{' followed
// by a letter starts a placeholder, which must be one of {SEQNUM:n},
// {RANDSTRING:n} or {DATETIMEUTC:fmt} in upper case; any other text,
// including other braces, is literal. At most one {SEQNUM} is allowed: how
// Dataverse fills a second one is not documented [U], and a repeated number
// cannot be analysed as a regular language. All {DATETIMEUTC} placeholders
// print the same instant [I].
func ParseAutoNumberFormat(s string) (*AutoNumberFormat, error) {
	if s == "" {
		return nil, parseErr(s, 0, 0, "the format is empty; use literal text and placeholders, e.g. \"CAS-{SEQNUM:6}\"")
	}
	if !utf8.ValidString(s) {
		return nil, parseErr(s, strings.IndexRune(s, utf8.RuneError), 1, "the format is not valid UTF-8")
	}
	f := &AutoNumberFormat{Source: s}
	var times []timeToken
	seq := -1
	for i := 0; i < len(s); {
		if s[i] != '{' || i+1 == len(s) || !isLetter(s[i+1]) {
			f.addLiteral(s[i:i+1], i)
			i++
			continue
		}
		item, err := parsePlaceholder(s, i)
		if err != nil {
			return nil, err
		}
		if item.Kind == SeqNum && seq >= 0 {
			return nil, parseErr(s, i, len(item.Text), "only one {SEQNUM} is allowed (another is at byte %d)", seq)
		}
		if item.Kind == SeqNum {
			seq = i
		}
		if item.Kind == DateTimeUTC {
			times = append(times, item.Time.tokens...)
		}
		f.Items = append(f.Items, item)
		i += len(item.Text)
	}
	if f.placeholders() == 0 {
		return nil, parseErr(s, 0, len(s), "the format has no placeholder, so every row would get the same value; add {SEQNUM:n}")
	}
	sc, err := scenarios(s, times)
	if err != nil {
		return nil, err
	}
	f.scenarios = sc
	return f, nil
}

func (f *AutoNumberFormat) addLiteral(text string, at int) {
	if n := len(f.Items); n > 0 && f.Items[n-1].Kind == Literal {
		f.Items[n-1].Text += text
		return
	}
	f.Items = append(f.Items, Item{Kind: Literal, Text: text, Offset: at})
}

func (f *AutoNumberFormat) placeholders() int {
	n := 0
	for _, it := range f.Items {
		if it.Kind != Literal {
			n++
		}
	}
	return n
}

// parsePlaceholder parses the placeholder starting with the '{' at s[at].
func parsePlaceholder(s string, at int) (Item, error) {
	end := strings.IndexByte(s[at:], '}')
	if end < 0 {
		return Item{}, parseErr(s, at, len(s)-at, "the placeholder is not closed; add '}'")
	}
	text := s[at : at+end+1]
	name, arg, ok := strings.Cut(text[1:len(text)-1], ":")
	if !ok {
		return Item{}, parseErr(s, at, len(text), "a placeholder is {NAME:argument}, e.g. {SEQNUM:4}")
	}
	argAt := at + 1 + len(name) + 1
	item := Item{Text: text, Offset: at}
	switch name {
	case "SEQNUM":
		n, err := placeholderWidth(s, argAt, arg, 1, MaxSeqNumWidth, "the minimum number of digits")
		item.Kind, item.Width = SeqNum, n
		return item, err
	case "RANDSTRING":
		n, err := placeholderWidth(s, argAt, arg, 1, 6, "the length of the random string")
		item.Kind, item.Width = RandString, n
		return item, err
	case "DATETIMEUTC":
		d, err := parseDateTime(s, argAt, arg)
		item.Kind, item.Time = DateTimeUTC, d
		return item, err
	}
	hint := ""
	if up := strings.ToUpper(name); up == "SEQNUM" || up == "RANDSTRING" || up == "DATETIMEUTC" {
		hint = fmt.Sprintf("; placeholder names are upper case: {%s:...}", up)
	}
	return Item{}, parseErr(s, at+1, len(name), "unknown placeholder %q; use SEQNUM, RANDSTRING or DATETIMEUTC%s", name, hint)
}

func placeholderWidth(s string, at int, arg string, lo, hi int, what string) (int, error) {
	n, err := strconv.Atoi(arg)
	if err != nil || strings.TrimSpace(arg) != arg || strings.HasPrefix(arg, "+") {
		return 0, parseErr(s, at, max(len(arg), 1), "%q is not a whole number (%s)", arg, what)
	}
	if n < lo || n > hi {
		return 0, parseErr(s, at, len(arg), "%s must be from %d to %d, not %d", what, lo, hi, n)
	}
	return n, nil
}

// String returns the format's source text.
func (f *AutoNumberFormat) String() string { return f.Source }

// Value returns the value Dataverse generates for sequence number seq, the
// random strings (one per {RANDSTRING}, in order) and creation time t.
func (f *AutoNumberFormat) Value(seq int64, random []string, t time.Time) (string, error) {
	var sb strings.Builder
	r := 0
	for _, it := range f.Items {
		switch it.Kind {
		case Literal:
			sb.WriteString(it.Text)
		case SeqNum:
			if seq < 0 {
				return "", fmt.Errorf("sequence number %d is negative", seq)
			}
			fmt.Fprintf(&sb, "%0*d", it.Width, seq)
		case RandString:
			if r >= len(random) || len(random[r]) != it.Width || strings.Trim(random[r], RandStringAlphabet) != "" {
				return "", fmt.Errorf("random string %d must be %d characters of %s", r+1, it.Width, RandStringAlphabet)
			}
			sb.WriteString(random[r])
			r++
		case DateTimeUTC:
			sb.WriteString(it.Time.Format(t))
		}
	}
	return sb.String(), nil
}

// Language returns the exact set of values the autonumber produces from
// sequence number seed on, for any random strings and any creation time
// from 0001-01-01 to 9999-12-31 (UTC).
func (f *AutoNumberFormat) Language(seed int64) (*Language, error) {
	if seed < 0 {
		return nil, &RangeError{Field: "seed", Empty: true, Message: fmt.Sprintf("seed (%d) must not be negative", seed)}
	}
	b := &builder{}
	atoms := f.atoms()
	first, last := f.scenarioSpan(atoms)
	build := func(atoms []atom, sc scenario) frag {
		parts := make([]frag, 0, len(atoms))
		for _, a := range atoms {
			parts = append(parts, b.atom(a, sc, seed))
		}
		return b.concat(parts...)
	}
	middles := make([]frag, 0, len(f.scenarios))
	for _, sc := range f.scenarios {
		middles = append(middles, build(atoms[first:last], sc))
		if len(b.states) > nfaStateLimit {
			return nil, errTooComplex
		}
	}
	whole := b.concat(build(atoms[:first], scenario{}), b.union(middles...), build(atoms[last:], scenario{}))
	return newLanguage(b, whole), nil
}

// scenarioSpan returns the atoms [first, last) that depend on the scenario:
// from the first to the last that prints a component some scenario
// restricts. The atoms around them are built once for all scenarios.
func (f *AutoNumberFormat) scenarioSpan(atoms []atom) (first, last int) {
	var restricted [fieldCount]bool
	for _, sc := range f.scenarios {
		for field, values := range sc {
			restricted[field] = restricted[field] || values != nil
		}
	}
	first, last = len(atoms), len(atoms)
	for i, a := range atoms {
		if a.Kind == DateTimeUTC && a.token.field != fieldNone && restricted[a.token.field] {
			first, last = min(first, i), i+1
		}
	}
	return first, last
}

// atom is an item other than {DATETIMEUTC}, or one token of a {DATETIMEUTC}.
type atom struct {
	Item
	token timeToken
}

func (f *AutoNumberFormat) atoms() []atom {
	var out []atom
	for _, it := range f.Items {
		if it.Kind != DateTimeUTC {
			out = append(out, atom{Item: it})
			continue
		}
		for _, t := range it.Time.tokens {
			out = append(out, atom{Item: it, token: t})
		}
	}
	return out
}

func (b *builder) atom(a atom, sc scenario, seed int64) frag {
	switch a.Kind {
	case SeqNum:
		return b.decimal(uint64(seed), 0, false, a.Width)
	case RandString:
		return b.repeat(a.Width, digitRange, letterRange)
	case DateTimeUTC:
		return b.token(a.token, sc)
	}
	return b.lit(a.Text)
}
