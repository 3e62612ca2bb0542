package numbering

import (
	"math"
	"math/big"
	"unicode/utf8"
)

// UsageWarnPercent is the share of an F&O sequence's range in use above which
// a plan warns.
const UsageWarnPercent = 80

// Usage is how far an F&O sequence has come through its range.
type Usage struct {
	Next, Smallest, Largest int64
	// Used is how many numbers have been handed out (Next - Smallest), and
	// Left how many remain (Largest - Next + 1), both at least 0.
	Used, Left uint64
	// Percent is Used as a share of the whole range, 0 to 100.
	Percent float64
	// Warn is true above UsageWarnPercent, or when the sequence is exhausted.
	Warn bool
}

// FinOpsUsage computes the usage of a sequence whose next number is next.
func FinOpsUsage(next, smallest, largest int64) Usage {
	u := Usage{Next: next, Smallest: smallest, Largest: largest}
	if largest < smallest {
		u.Warn = true
		return u
	}
	total := uint64(largest-smallest) + 1 // wraps to 0 only for the full int64 range
	switch {
	case next <= smallest:
	case next > largest:
		u.Used = total
	default:
		u.Used = uint64(next - smallest)
	}
	u.Left = total - u.Used
	if total == 0 {
		u.Percent = float64(u.Used) / (2 * float64(math.MaxInt64)) * 100
	} else {
		u.Percent = float64(u.Used) / float64(total) * 100
	}
	u.Warn = u.Percent > UsageWarnPercent || u.Left == 0
	return u
}

// LengthReport says how long an autonumber's values get against a column's
// MaxLength (in characters).
type LengthReport struct {
	MaxLength int
	// Shortest and Longest are the lengths of the values at the seed, in
	// characters.
	Shortest, Longest int
	// Fits is true when every value at the seed fits MaxLength.
	Fits bool
	// Exceeds is the first sequence number from the seed on whose value can be
	// longer than MaxLength ({SEQNUM} grows without bound). It is nil when
	// no sequence number up to math.MaxInt64 makes a value too long.
	Exceeds *big.Int
}

// CheckLength compares the lengths of the values the format produces from
// seed on with a column's MaxLength.
func (f *AutoNumberFormat) CheckLength(seed int64, maxLength int) LengthReport {
	r := LengthReport{MaxLength: maxLength}
	seqWidth := -1
	for _, it := range f.Items {
		lo, hi := it.lengths()
		r.Shortest += lo
		r.Longest += hi
		if it.Kind == SeqNum {
			seqWidth = it.Width
		}
	}
	seedLen := len(big.NewInt(seed).String())
	if seqWidth >= 0 && seedLen > seqWidth {
		r.Shortest += seedLen - seqWidth
		r.Longest += seedLen - seqWidth
	}
	r.Fits = r.Longest <= maxLength
	if seqWidth < 0 {
		if !r.Fits {
			r.Exceeds = big.NewInt(seed)
		}
		return r
	}
	// Values of numbers up to 'room' digits fit: the first too long has room+1.
	room := maxLength - (r.Longest - max(seedLen, seqWidth))
	first := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(room, 0))), nil)
	if room < seqWidth || first.Cmp(big.NewInt(seed)) < 0 {
		first = big.NewInt(seed)
	}
	if first.Cmp(big.NewInt(math.MaxInt64)) <= 0 {
		r.Exceeds = first
	}
	return r
}

// lengths returns the shortest and longest text of the item, with {SEQNUM}
// at its minimum width.
func (it Item) lengths() (int, int) {
	switch it.Kind {
	case Literal:
		n := utf8.RuneCountInString(it.Text)
		return n, n
	case SeqNum, RandString:
		return it.Width, it.Width
	case DateTimeUTC:
		lo, hi := 0, 0
		for _, t := range it.Time.tokens {
			a, b := t.lengths()
			lo, hi = lo+a, hi+b
		}
		return lo, hi
	}
	return 0, 0
}

func (t timeToken) lengths() (int, int) {
	switch t.letter {
	case 0:
		n := utf8.RuneCountInString(t.text)
		return n, n
	case 'y':
		if t.count <= 2 {
			return t.count, 2
		}
		return t.count, max(t.count, 4)
	case 'M':
		switch {
		case t.count == 3:
			return 3, 3
		case t.count >= 4:
			return 3, 9 // "May" .. "September"
		}
	case 'f':
		return t.count, t.count
	case 'F':
		return 0, t.count
	case 't':
		return min(t.count, 2), min(t.count, 2)
	}
	return min(t.count, 2), 2
}
