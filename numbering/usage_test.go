package numbering

import (
	"math"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFinOpsUsage(t *testing.T) {
	tests := map[string]struct {
		next, smallest, largest int64
		want                    Usage
	}{
		"fresh": {next: 1, smallest: 1, largest: 4999,
			want: Usage{Next: 1, Smallest: 1, Largest: 4999, Used: 0, Left: 4999, Percent: 0}},
		"at 80 percent": {next: 81, smallest: 1, largest: 100,
			want: Usage{Next: 81, Smallest: 1, Largest: 100, Used: 80, Left: 20, Percent: 80}},
		"above 80 percent": {next: 82, smallest: 1, largest: 100,
			want: Usage{Next: 82, Smallest: 1, Largest: 100, Used: 81, Left: 19, Percent: 81, Warn: true}},
		"exhausted": {next: 101, smallest: 1, largest: 100,
			want: Usage{Next: 101, Smallest: 1, Largest: 100, Used: 100, Left: 0, Percent: 100, Warn: true}},
		"whole int64 range": {next: 0, smallest: math.MinInt64, largest: math.MaxInt64,
			want: Usage{Next: 0, Smallest: math.MinInt64, Largest: math.MaxInt64, Used: 1 << 63, Left: 1 << 63, Percent: 50}},
		"empty range": {next: 5, smallest: 10, largest: 1,
			want: Usage{Next: 5, Smallest: 10, Largest: 1, Warn: true}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, FinOpsUsage(tc.next, tc.smallest, tc.largest)); diff != "" {
				t.Errorf("FinOpsUsage (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckLength(t *testing.T) {
	type result struct {
		Shortest, Longest int
		Fits              bool
		Exceeds           string
	}
	tests := map[string]struct {
		format    string
		seed      int64
		maxLength int
		want      result
	}{
		"room to grow": {format: "CAS-{SEQNUM:6}", seed: 1, maxLength: 12,
			want: result{10, 10, true, "100000000"}},
		"grown past the column": {format: "CAS-{SEQNUM:6}", seed: 123456789, maxLength: 12,
			want: result{13, 13, false, "123456789"}},
		"too narrow at once": {format: "WID-{SEQNUM:5}-{RANDSTRING:6}-{DATETIMEUTC:yyyyMMddhhmmss}", seed: 1000, maxLength: 20,
			want: result{31, 31, false, "1000"}},
		"variable date": {format: "{DATETIMEUTC:MMMM d}-{SEQNUM:2}", seed: 1, maxLength: 14,
			want: result{8, 15, false, "1"}},
		"never within int64": {format: "{SEQNUM:1}", seed: 1, maxLength: 100,
			want: result{1, 1, true, ""}},
		"no sequence": {format: "{RANDSTRING:6}", seed: 1000, maxLength: 6,
			want: result{6, 6, true, ""}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := ParseAutoNumberFormat(tc.format)
			if err != nil {
				t.Fatal(err)
			}
			r := f.CheckLength(tc.seed, tc.maxLength)
			got := result{r.Shortest, r.Longest, r.Fits, ""}
			if r.Exceeds != nil {
				got.Exceeds = r.Exceeds.String()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("CheckLength (-want +got):\n%s", diff)
			}
			if r.Exceeds != nil && r.Exceeds.Cmp(big.NewInt(tc.seed)) < 0 {
				t.Errorf("Exceeds %v is below the seed", r.Exceeds)
			}
		})
	}
}
