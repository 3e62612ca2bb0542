package numbering

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// countLength counts the strings of exactly n bytes the automaton accepts.
// Together with "every generated value is accepted" it proves the automaton
// accepts exactly the generated values.
func countLength(t *testing.T, l *Language, n int) uint64 {
	t.Helper()
	cls := newClasses(l.raw)
	d := newDFA(l.raw, cls, dfaStateLimit)
	layer := map[int32]uint64{0: 1}
	for range n {
		next := map[int32]uint64{}
		for s, c := range layer {
			for k := range cls.first {
				to, err := d.step(s, k)
				if err != nil {
					t.Fatal(err)
				}
				if to == dead {
					continue
				}
				size := 256 - int(cls.first[k])
				if k+1 < len(cls.first) {
					size = int(cls.first[k+1]) - int(cls.first[k])
				}
				next[to] += c * uint64(size)
			}
		}
		layer = next
	}
	var total uint64
	for s, c := range layer {
		if d.accept[s] {
			total += c
		}
	}
	return total
}

// randomFinOps returns a small F&O format and range.
func randomFinOps(rng *rand.Rand) (*FinOpsFormat, int64, int64) {
	pieces := []string{"#", "#", "#", "&", "A", "a", "1", "-"}
	for {
		var sb strings.Builder
		for range 1 + rng.IntN(4) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		f, err := ParseFinOpsFormat(sb.String())
		if err != nil {
			continue
		}
		lo, hi := f.Numbers()
		if hi-lo > 3000 {
			continue
		}
		a, b := lo+rng.Int64N(hi-lo+1), lo+rng.Int64N(hi-lo+1)
		return f, min(a, b), max(a, b)
	}
}

var bruteTimeFormats = []string{"M", "MM", "HH", "h", "tt", "dd", "d", "dMM", "hhtt", "MMMd"}

// randomAutoNumber returns a small Dataverse format and seed: half the time
// shaped after the F&O format, so that both outcomes are common.
func randomAutoNumber(rng *rand.Rand, fo *FinOpsFormat) (*AutoNumberFormat, int64) {
	for {
		var text string
		if rng.IntN(2) == 0 {
			text = shapedAfter(rng, fo)
		} else {
			text = randomItems(rng)
		}
		f, err := ParseAutoNumberFormat(text)
		if err != nil || randChars(f) > 2 {
			continue
		}
		return f, rng.Int64N(150)
	}
}

func randomItems(rng *rand.Rand) string {
	var sb strings.Builder
	for range 1 + rng.IntN(3) {
		switch rng.IntN(6) {
		case 0, 1:
			sb.WriteString([]string{"A", "a", "1", "-", "0", "M"}[rng.IntN(6)])
		case 2, 3:
			fmt.Fprintf(&sb, "{SEQNUM:%d}", 1+rng.IntN(3))
		case 4:
			fmt.Fprintf(&sb, "{RANDSTRING:%d}", 1+rng.IntN(2))
		case 5:
			fmt.Fprintf(&sb, "{DATETIMEUTC:%s}", bruteTimeFormats[rng.IntN(len(bruteTimeFormats))])
		}
	}
	return sb.String()
}

// shapedAfter mirrors the F&O format's segments with similar items.
func shapedAfter(rng *rand.Rand, fo *FinOpsFormat) string {
	var sb strings.Builder
	for _, seg := range fo.Segments {
		k := len(seg.Text)
		switch {
		case seg.Kind == Constant && rng.IntN(4) == 0:
			sb.WriteString(strings.ToLower(seg.Text))
		case seg.Kind == Constant:
			sb.WriteString(seg.Text)
		case seg.Kind == Digits && k <= 2 && rng.IntN(3) == 0:
			choices := [][]string{{"%M", "%d", "%h"}, {"MM", "dd", "hh", "HH"}}[k-1]
			fmt.Fprintf(&sb, "{DATETIMEUTC:%s}", choices[rng.IntN(len(choices))])
		case seg.Kind == Digits && rng.IntN(3) > 0:
			fmt.Fprintf(&sb, "{SEQNUM:%d}", 1+rng.IntN(k))
		case k <= 2:
			fmt.Fprintf(&sb, "{RANDSTRING:%d}", k)
		default:
			sb.WriteString(strings.Repeat("A", k))
		}
	}
	return sb.String()
}

func randChars(f *AutoNumberFormat) int {
	n := 0
	for _, it := range f.Items {
		if it.Kind == RandString {
			n += it.Width
		}
	}
	return n
}

// enumerate lists the values of the format from seed on with at most maxLen
// bytes, by generating them. All {DATETIMEUTC} placeholders print one instant.
func enumerate(f *AutoNumberFormat, seed int64, maxLen int) map[string]bool {
	out := map[string]bool{}
	rest := make([]int, len(f.Items)+1) // shortest text of items i.. on
	for i := len(f.Items) - 1; i >= 0; i-- {
		lo, _ := f.Items[i].lengths()
		rest[i] = rest[i+1] + lo
	}
	var walk func(i int, prefix string, times []string)
	walk = func(i int, prefix string, times []string) {
		if len(prefix)+rest[i] > maxLen {
			return
		}
		if i == len(f.Items) {
			out[prefix] = true
			return
		}
		it := f.Items[i]
		switch it.Kind {
		case Literal:
			walk(i+1, prefix+it.Text, times)
		case SeqNum:
			for v := seed; len(prefix)+max(it.Width, len(fmt.Sprint(v)))+rest[i+1] <= maxLen; v++ {
				walk(i+1, prefix+fmt.Sprintf("%0*d", it.Width, v), times)
			}
		case RandString:
			var rs func(n int, s string)
			rs = func(n int, s string) {
				if n == 0 {
					walk(i+1, prefix+s, times)
					return
				}
				for _, c := range RandStringAlphabet {
					rs(n-1, s+string(c))
				}
			}
			rs(it.Width, "")
		case DateTimeUTC:
			walk(i+1, prefix+times[0], times[1:])
		}
	}
	for _, texts := range timeTuples(f) {
		walk(0, "", texts)
	}
	return out
}

// tuplesCache holds timeTuples' results by format.
var tuplesCache = map[string][][]string{}

// timeTuples lists the distinct texts the format's {DATETIMEUTC}
// placeholders print together (they print the same instant), over every hour
// of a leap year, which covers every month, day and hour.
func timeTuples(f *AutoNumberFormat) [][]string {
	if out, ok := tuplesCache[f.Source]; ok {
		return out
	}
	seen := map[string]bool{}
	var out [][]string
	for at := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() == 2000; at = at.Add(time.Hour) {
		var texts []string
		for _, it := range f.Items {
			if it.Kind == DateTimeUTC {
				texts = append(texts, it.Time.Format(at))
			}
		}
		if key := strings.Join(texts, "\x00"); !seen[key] {
			seen[key] = true
			out = append(out, texts)
		}
	}
	tuplesCache[f.Source] = out
	return out
}

// TestIntersectMatchesEnumeration compares the exact decision with brute
// force on thousands of small random formats: the languages hold exactly the
// generated values, and the witness is the smallest common value.
func TestIntersectMatchesEnumeration(t *testing.T) {
	cases := 3000
	if testing.Short() {
		cases = 300 // the edit loop: fewer random formats, the same checks
	}
	rng := rand.New(rand.NewPCG(4, 2026))
	collisions := 0
	for i := range cases {
		fo, smallest, largest := randomFinOps(rng)
		dv, seed := randomAutoNumber(rng, fo)
		name := fmt.Sprintf("%d: %q %d..%d vs %q seed %d", i, fo.Source, smallest, largest, dv.Source, seed)
		foValues := map[string]bool{}
		for n := smallest; n <= largest; n++ {
			v, err := fo.Value(n)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			foValues[v] = true
		}
		width := fo.Width()
		dvValues := enumerate(dv, seed, width)
		a, err := fo.Language(smallest, largest)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := dv.Language(seed)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkExact(t, name+" (F&O)", a, foValues, width)
		checkExact(t, name+" (Dataverse)", b, dvValues, width)

		want := bruteWitness(foValues, dvValues)
		w, ok, err := Intersect(a, b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, w.Value); diff != "" {
			t.Fatalf("%s: witness (-brute +automaton):\n%s", name, diff)
		}
		if back, _, _ := Intersect(b, a); back.Value != w.Value || back.A != w.B || back.B != w.A {
			t.Fatalf("%s: Intersect is not symmetric: %+v and %+v", name, w, back)
		}
		if ok {
			collisions++
			if !foValues[w.A] || !dvValues[w.B] {
				t.Fatalf("%s: witness %+v is not produced by both sides", name, w)
			}
		}
	}
	t.Logf("%d of %d random cases collide", collisions, cases)
	if collisions < cases/10 || collisions > cases*9/10 {
		t.Errorf("%d of %d random cases collide: the generator no longer tests both outcomes", collisions, cases)
	}
}

// checkExact checks that the language accepts every value and that it
// accepts as many strings of each length up to maxLen as there are values.
func checkExact(t *testing.T, name string, l *Language, values map[string]bool, maxLen int) {
	t.Helper()
	perLen := map[int]uint64{}
	for v := range values {
		if !l.Contains(v) {
			t.Fatalf("%s: generated value %q is not in the language", name, v)
		}
		perLen[len(v)]++
	}
	for n := 0; n <= maxLen; n++ {
		if got := countLength(t, l, n); got != perLen[n] {
			t.Fatalf("%s: the language has %d values of length %d, generation gives %d", name, got, n, perLen[n])
		}
	}
}

func bruteWitness(a, b map[string]bool) string {
	upper := map[string]bool{}
	for v := range b {
		upper[strings.ToUpper(v)] = true
	}
	var common []string
	for v := range a {
		if u := strings.ToUpper(v); upper[u] {
			common = append(common, u)
		}
	}
	slices.SortFunc(common, func(x, y string) int {
		if len(x) != len(y) {
			return len(x) - len(y)
		}
		return strings.Compare(x, y)
	})
	if len(common) == 0 {
		return ""
	}
	return common[0]
}
