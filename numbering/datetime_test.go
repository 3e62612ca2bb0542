package numbering

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDateTimeLanguageExact proves the {DATETIMEUTC} languages exact: every
// text printed over the whole calendar (or every second of a day) is in the
// language, and the language has exactly as many strings of each length as
// there are distinct texts. Go's own formatting, with an equivalent layout,
// is the independent oracle for the printed texts.
func TestDateTimeLanguageExact(t *testing.T) {
	hm := func(at time.Time) string { return fmt.Sprintf("%d:%d", at.Hour(), at.Minute()) }
	tests := map[string]struct {
		format    string
		oracle    func(time.Time) string
		instants  func(func(time.Time))
		injective bool // each instant prints a different text
		want      int  // distinct texts
	}{
		"full date":            {format: "ddMMyyyy", oracle: layout("02012006"), instants: days(9999), injective: true, want: 3_652_059},
		"two-digit year":       {format: "yyMMdd", oracle: layout("060102"), instants: days(400), want: 36_525},
		"month and day":        {format: "MMdd", oracle: layout("0102"), instants: days(4), want: 366},
		"unpadded parts":       {format: "d.M.yy", oracle: layout("2.1.06"), instants: days(400), want: 36_525},
		"year and month":       {format: "yyyy-MM", oracle: layout("2006-01"), instants: months(9999), injective: true, want: 119_988},
		"month names":          {format: "MMM d MMMM, yy", oracle: layout("Jan 2 January, 06"), instants: days(400), want: 36_525},
		"twelve hour clock":    {format: "hh:mm:ss tt", oracle: layout("03:04:05 PM"), instants: seconds, injective: true, want: 86_400},
		"unpadded clock":       {format: "H:m", oracle: hm, instants: seconds, want: 1440},
		"hour twice":           {format: "HH hh", oracle: layout("15 03"), instants: seconds, want: 24},
		"day without month":    {format: "yy d", oracle: layout("06 2"), instants: days(400), want: 3100},
		"year printed twice":   {format: "yyyy/yy-MM", oracle: layout("2006/06-01"), instants: months(9999), injective: true, want: 119_988},
		"fraction of a second": {format: "ss.ff", oracle: layout("05.00"), instants: centiseconds, injective: true, want: 6000},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := ParseAutoNumberFormat("{DATETIMEUTC:" + tc.format + "}")
			if err != nil {
				t.Fatal(err)
			}
			l, err := f.Language(0)
			if err != nil {
				t.Fatal(err)
			}
			d := f.Items[0].Time
			perLen := map[int]uint64{}
			seen := map[string]bool{}
			i, distinct := 0, 0
			tc.instants(func(at time.Time) {
				text := tc.oracle(at)
				if i++; i%97 == 0 && d.Format(at) != text {
					t.Fatalf("Format(%v) = %q, the oracle prints %q", at, d.Format(at), text)
				}
				if !tc.injective {
					if seen[text] {
						return
					}
					seen[text] = true
				}
				distinct++
				perLen[len(text)]++
				if !l.Contains(text) {
					t.Fatalf("%q (%v) is not in the language", text, at)
				}
			})
			if diff := cmp.Diff(tc.want, distinct); diff != "" {
				t.Fatalf("distinct texts (-want +got):\n%s", diff)
			}
			for n := range len(tc.format) + 6 {
				if got := countLength(t, l, n); got != perLen[n] {
					t.Errorf("the language has %d strings of length %d, the calendar prints %d", got, n, perLen[n])
				}
			}
		})
	}
}

func layout(l string) func(time.Time) string {
	return func(at time.Time) string { return at.Format(l) }
}

// days visits every day of the years 1..years at 00:00.
func days(years int) func(func(time.Time)) {
	return func(fn func(time.Time)) {
		for y := 1; y <= years; y++ {
			for at := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() == y; at = at.AddDate(0, 0, 1) {
				fn(at)
			}
		}
	}
}

// months visits the first day of every month of the years 1..years.
func months(years int) func(func(time.Time)) {
	return func(fn func(time.Time)) {
		for y := 1; y <= years; y++ {
			for m := time.January; m <= time.December; m++ {
				fn(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC))
			}
		}
	}
}

// seconds visits every second of a day.
func seconds(fn func(time.Time)) {
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for s := range 86_400 {
		fn(start.Add(time.Duration(s) * time.Second))
	}
}

// centiseconds visits every hundredth of a second of a minute.
func centiseconds(fn func(time.Time)) {
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for c := range 6000 {
		fn(start.Add(time.Duration(c) * 10 * time.Millisecond))
	}
}

func TestDateTimeFormatDotNet(t *testing.T) {
	at := time.Date(2017, 9, 3, 0, 5, 9, 70_000_000, time.UTC)
	tests := map[string]struct {
		want string
		err  bool
	}{
		"yyyyMMddhhmmss": {want: "20170903120509"}, // hh is the 12-hour clock: midnight is 12
		"yyyyMMddHHmmss": {want: "20170903000509"},
		"y":              {err: true}, // a culture-dependent standard format
		"t":              {err: true},
		"F":              {err: true},
		"%y":             {want: "17"},
		"yyy":            {want: "2017"},
		"yyyyy":          {want: "02017"},
		"M/d":            {want: "9/3"},
		"%t":             {want: "A"},
		"fff":            {want: "070"},
		"FFF":            {want: "07"},
		"%F":             {want: ""},
		"'Q'q":           {err: true},
		"\\Q'lit'T":      {want: "QlitT"},
		"\"lit\"Z":       {want: "litZ"},
		"s":              {want: "2017-09-03T00:05:09"},
		"u":              {want: "2017-09-03 00:05:09Z"},
		"o":              {want: "2017-09-03T00:05:09.0700000Z"},
		"ffff ff":        {err: true}, // repeated fractions past 3 digits cannot be analysed
	}
	for format, tc := range tests {
		t.Run(format, func(t *testing.T) {
			f, err := ParseAutoNumberFormat("{SEQNUM:1}{DATETIMEUTC:" + format + "}")
			if (err != nil) != tc.err {
				t.Fatalf("error = %v, want error %v", err, tc.err)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tc.want, f.Items[1].Time.Format(at)); diff != "" {
				t.Errorf("Format (-want +got):\n%s", diff)
			}
		})
	}
}
