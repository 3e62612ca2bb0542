package numbering

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFinOpsFormat(t *testing.T) {
	tests := map[string]struct {
		format   string
		segments []Segment
		err      *ParseError
	}{
		"digits after constant": {
			format: "US-####",
			segments: []Segment{
				{Kind: Constant, Text: "US-", Offset: 0},
				{Kind: Digits, Text: "####", Offset: 3},
			},
		},
		"mixed with suffix": {
			format: "&&##_2017",
			segments: []Segment{
				{Kind: Letters, Text: "&&", Offset: 0},
				{Kind: Digits, Text: "##", Offset: 2},
				{Kind: Constant, Text: "_2017", Offset: 4},
			},
		},
		"multibyte constant": {
			format: "Ä#",
			segments: []Segment{
				{Kind: Constant, Text: "Ä", Offset: 0},
				{Kind: Digits, Text: "#", Offset: 2},
			},
		},
		"empty": {
			format: "",
			err:    &ParseError{Format: "", Offset: 0, Length: 0, Message: `the format is empty; use constant text and at least one '#' or '&', e.g. "CUS-####"`},
		},
		"no positions": {
			format: "CUST",
			err:    &ParseError{Format: "CUST", Offset: 0, Length: 4, Message: "the format has no '#' or '&' position, so every number would give the same value"},
		},
		"control character": {
			format: "A\t##",
			err:    &ParseError{Format: "A\t##", Offset: 1, Length: 1, Message: "the format contains a control character (U+0009)"},
		},
		"invalid utf-8": {
			format: "AB\xff#",
			err:    &ParseError{Format: "AB\xff#", Offset: 2, Length: 1, Message: "the format is not valid UTF-8"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := ParseFinOpsFormat(tc.format)
			var perr *ParseError
			if err != nil && !errors.As(err, &perr) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if diff := cmp.Diff(tc.err, perr); diff != "" {
				t.Fatalf("error (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tc.segments, f.Segments); diff != "" {
				t.Errorf("segments (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFinOpsValue(t *testing.T) {
	tests := map[string]struct {
		format string
		number int64
		want   string
		err    bool
	}{
		"documented digits":       {format: "#####_2017", number: 1, want: "00001_2017"},
		"documented constant":     {format: "CS-EXPENSE-####", number: 39, want: "CS-EXPENSE-0039"},
		"documented order":        {format: "SO-####", number: 29, want: "SO-0029"},
		"letters only start":      {format: "&&&", number: 1, want: "AAA"},
		"letters only 29":         {format: "&&&", number: 29, want: "ABC"},
		"letter above digits":     {format: "&##", number: 100, want: "B00"},
		"letter below digits":     {format: "##&", number: 27, want: "01B"},
		"largest that fits":       {format: "&#", number: 259, want: "Z9"},
		"too large":               {format: "&#", number: 260, err: true},
		"zero with digits":        {format: "###", number: 0, want: "000"},
		"zero without digits":     {format: "&&", number: 0, err: true},
		"negative":                {format: "###", number: -1, err: true},
		"positions split by text": {format: "#-#", number: 42, want: "4-2"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := ParseFinOpsFormat(tc.format)
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.Value(tc.number)
			if (err != nil) != tc.err {
				t.Fatalf("Value(%d) error = %v, want error %v", tc.number, err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Value(%d) (-want +got):\n%s", tc.number, diff)
			}
		})
	}
}

func TestFinOpsLanguageRange(t *testing.T) {
	tests := map[string]struct {
		format            string
		smallest, largest int64
		err               *RangeError
	}{
		"fits": {format: "US####", smallest: 1, largest: 4999},
		"smallest above largest": {format: "US####", smallest: 5000, largest: 4999, err: &RangeError{
			Field: "smallest", Empty: true,
			Message: "smallest (5000) is greater than largest (4999), so the sequence cannot produce any value"}},
		"largest too wide": {format: "US####", smallest: 1, largest: 10000, err: &RangeError{
			Field:   "largest",
			Message: `largest (10000) does not fit: format "US####" holds the numbers 0 to 9999; widen the format or lower largest`}},
		"nothing fits": {format: "US##", smallest: 100, largest: 200, err: &RangeError{
			Field: "smallest", Empty: true,
			Message: `smallest (100) does not fit: format "US##" holds the numbers 0 to 99, so the sequence cannot produce any value`}},
		"letters start at one": {format: "&&", smallest: 0, largest: 5, err: &RangeError{
			Field:   "smallest",
			Message: `smallest (0) does not fit: format "&&" holds the numbers 1 to 676`}},
		"huge range": {format: "###################", smallest: 1, largest: 9_223_372_036_854_775_807},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := ParseFinOpsFormat(tc.format)
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.Language(tc.smallest, tc.largest)
			var rerr *RangeError
			if err != nil && !errors.As(err, &rerr) {
				t.Fatalf("error %v is not a *RangeError", err)
			}
			if diff := cmp.Diff(tc.err, rerr); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}
