package numbering

import (
	"fmt"
	"math"
	"unicode/utf8"
)

// SegmentKind is the kind of a run of characters in an F&O format.
type SegmentKind int

// The kinds of F&O format segments.
const (
	// Constant text, copied into every value.
	Constant SegmentKind = iota
	// Digits are '#' positions: an incrementing decimal digit each.
	Digits
	// Letters are '&' positions: an incrementing letter A-Z each.
	Letters
)

// Segment is a run of one kind in an F&O format.
type Segment struct {
	Kind   SegmentKind
	Text   string
	Offset int // byte offset in the format
}

// FinOpsFormat is a parsed F&O number sequence format such as "US-####".
//
// The number is written into the '#' and '&' positions of the whole format
// as one mixed-radix numeral, right to left: a '#' position holds a digit
// (radix 10, zero '0'), a '&' position a letter (radix 26, zero 'A'), and
// unused positions on the left hold the zero of their radix. When the format
// has no '#' at all the number is decreased by one first, so "&&&" writes 1 as
// "AAA" and 29 as "ABC". This is how NumberSeq::numInsertFormat behaves in
// AX 2012 as publicly analysed [O]; for formats with only '#' positions it is
// the documented zero-padding ("#####_2017" gives "00001_2017") [D].
type FinOpsFormat struct {
	Source   string
	Segments []Segment
	// places holds, per byte of a value, the range of bytes it may hold: one
	// byte for constants, '0'-'9' for '#', 'A'-'Z' for '&'.
	places    []byteRange
	hasDigits bool
}

// ParseFinOpsFormat parses an F&O number sequence format. Every '#' and '&'
// is a position; every other printable character is constant text.
func ParseFinOpsFormat(s string) (*FinOpsFormat, error) {
	if s == "" {
		return nil, parseErr(s, 0, 0, "the format is empty; use constant text and at least one '#' or '&', e.g. \"CUS-####\"")
	}
	f := &FinOpsFormat{Source: s}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return nil, parseErr(s, i, 1, "the format is not valid UTF-8")
		}
		if r < ' ' || r == 0x7f {
			return nil, parseErr(s, i, size, "the format contains a control character (%U)", r)
		}
		kind := Constant
		switch r {
		case '#':
			kind, f.hasDigits = Digits, true
			f.places = append(f.places, digitRange)
		case '&':
			kind = Letters
			f.places = append(f.places, letterRange)
		default:
			for j := i; j < i+size; j++ {
				f.places = append(f.places, byteRange{s[j], s[j]})
			}
		}
		if n := len(f.Segments); n > 0 && f.Segments[n-1].Kind == kind {
			f.Segments[n-1].Text += s[i : i+size]
		} else {
			f.Segments = append(f.Segments, Segment{Kind: kind, Text: s[i : i+size], Offset: i})
		}
		i += size
	}
	if f.positions() == 0 {
		return nil, parseErr(s, 0, len(s), "the format has no '#' or '&' position, so every number would give the same value")
	}
	return f, nil
}

// positions counts the '#' and '&' positions.
func (f *FinOpsFormat) positions() int {
	n := 0
	for _, p := range f.places {
		if p.lo != p.hi {
			n++
		}
	}
	return n
}

// Width is the length in bytes of every value of the format.
func (f *FinOpsFormat) Width() int { return len(f.places) }

// Numbers returns the smallest and largest number the format can hold: from
// 0 (1 for a format without '#') up to the capacity of its positions, capped
// at math.MaxInt64.
func (f *FinOpsFormat) Numbers() (lo, hi int64) {
	count := int64(1)
	for _, p := range f.places {
		if p.lo == p.hi {
			continue
		}
		radix := int64(p.hi-p.lo) + 1
		if count > math.MaxInt64/radix {
			lo = 1
			if f.hasDigits {
				lo = 0
			}
			return lo, math.MaxInt64
		}
		count *= radix
	}
	if f.hasDigits {
		return 0, count - 1
	}
	return 1, count
}

// Value returns the value the sequence produces for number n, or an error
// when n does not fit the format.
func (f *FinOpsFormat) Value(n int64) (string, error) {
	lo, hi := f.Numbers()
	if n < lo || n > hi {
		return "", fmt.Errorf("number %d does not fit format %q (it holds %d to %d)", n, f.Source, lo, hi)
	}
	if !f.hasDigits {
		n--
	}
	out := make([]byte, len(f.places))
	for i := len(f.places) - 1; i >= 0; i-- {
		p := f.places[i]
		if p.lo == p.hi {
			out[i] = p.lo
			continue
		}
		radix := int64(p.hi-p.lo) + 1
		out[i] = p.lo + byte(n%radix)
		n /= radix
	}
	return string(out), nil
}

// Language returns the exact set of values the sequence produces for the
// numbers smallest..largest. It fails with a *RangeError when the range is
// empty or does not fit the format.
func (f *FinOpsFormat) Language(smallest, largest int64) (*Language, error) {
	if err := f.checkRange(smallest, largest); err != nil {
		return nil, err
	}
	first, _ := f.Value(smallest)
	last, _ := f.Value(largest)
	b := &builder{}
	return newLanguage(b, b.between(first, last, f.places)), nil
}

func (f *FinOpsFormat) checkRange(smallest, largest int64) error {
	lo, hi := f.Numbers()
	fit := fmt.Sprintf("format %q holds the numbers %d to %d", f.Source, lo, hi)
	switch {
	case smallest > largest:
		return &RangeError{Field: "smallest", Empty: true,
			Message: fmt.Sprintf("smallest (%d) is greater than largest (%d), so the sequence cannot produce any value", smallest, largest)}
	case smallest > hi:
		return &RangeError{Field: "smallest", Empty: true,
			Message: fmt.Sprintf("smallest (%d) does not fit: %s, so the sequence cannot produce any value", smallest, fit)}
	case largest < lo:
		return &RangeError{Field: "largest", Empty: true,
			Message: fmt.Sprintf("largest (%d) does not fit: %s, so the sequence cannot produce any value", largest, fit)}
	case smallest < lo:
		return &RangeError{Field: "smallest", Message: fmt.Sprintf("smallest (%d) does not fit: %s", smallest, fit)}
	case largest > hi:
		return &RangeError{Field: "largest",
			Message: fmt.Sprintf("largest (%d) does not fit: %s; widen the format or lower largest", largest, fit)}
	}
	return nil
}

// String returns the format's source text.
func (f *FinOpsFormat) String() string { return f.Source }
