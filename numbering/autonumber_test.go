package numbering

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseAutoNumberFormat(t *testing.T) {
	tests := map[string]struct {
		format string
		items  []Item
		err    *ParseError
	}{
		"prefix and seqnum": {
			format: "C{SEQNUM:4}",
			items: []Item{
				{Kind: Literal, Text: "C", Offset: 0},
				{Kind: SeqNum, Text: "{SEQNUM:4}", Offset: 1, Width: 4},
			},
		},
		"documented example": {
			format: "CAR-{SEQNUM:3}-{RANDSTRING:6}",
			items: []Item{
				{Kind: Literal, Text: "CAR-", Offset: 0},
				{Kind: SeqNum, Text: "{SEQNUM:3}", Offset: 4, Width: 3},
				{Kind: Literal, Text: "-", Offset: 14},
				{Kind: RandString, Text: "{RANDSTRING:6}", Offset: 15, Width: 6},
			},
		},
		"braces that are not placeholders": {
			format: "{1}-{SEQNUM:1}}",
			items: []Item{
				{Kind: Literal, Text: "{1}-", Offset: 0},
				{Kind: SeqNum, Text: "{SEQNUM:1}", Offset: 4, Width: 1},
				{Kind: Literal, Text: "}", Offset: 14},
			},
		},
		"empty": {
			format: "",
			err:    &ParseError{Message: `the format is empty; use literal text and placeholders, e.g. "CAS-{SEQNUM:6}"`},
		},
		"no placeholder": {
			format: "ABC",
			err:    &ParseError{Format: "ABC", Length: 3, Message: "the format has no placeholder, so every row would get the same value; add {SEQNUM:n}"},
		},
		"randstring too long": {
			format: "X{RANDSTRING:7}",
			err:    &ParseError{Format: "X{RANDSTRING:7}", Offset: 13, Length: 1, Message: "the length of the random string must be from 1 to 6, not 7"},
		},
		"randstring zero": {
			format: "{RANDSTRING:0}",
			err:    &ParseError{Format: "{RANDSTRING:0}", Offset: 12, Length: 1, Message: "the length of the random string must be from 1 to 6, not 0"},
		},
		"seqnum zero": {
			format: "A{SEQNUM:0}",
			err:    &ParseError{Format: "A{SEQNUM:0}", Offset: 9, Length: 1, Message: "the minimum number of digits must be from 1 to 4000, not 0"},
		},
		"seqnum not a number": {
			format: "A{SEQNUM:x4}",
			err:    &ParseError{Format: "A{SEQNUM:x4}", Offset: 9, Length: 2, Message: `"x4" is not a whole number (the minimum number of digits)`},
		},
		"two seqnums": {
			format: "{SEQNUM:2}-{SEQNUM:2}",
			err:    &ParseError{Format: "{SEQNUM:2}-{SEQNUM:2}", Offset: 11, Length: 10, Message: "only one {SEQNUM} is allowed (another is at byte 0)"},
		},
		"unknown placeholder": {
			format: "A{COUNTER:3}",
			err:    &ParseError{Format: "A{COUNTER:3}", Offset: 2, Length: 7, Message: `unknown placeholder "COUNTER"; use SEQNUM, RANDSTRING or DATETIMEUTC`},
		},
		"lower case placeholder": {
			format: "A{seqnum:3}",
			err:    &ParseError{Format: "A{seqnum:3}", Offset: 2, Length: 6, Message: `unknown placeholder "seqnum"; use SEQNUM, RANDSTRING or DATETIMEUTC; placeholder names are upper case: {SEQNUM:...}`},
		},
		"unclosed": {
			format: "A{SEQNUM:3",
			err:    &ParseError{Format: "A{SEQNUM:3", Offset: 1, Length: 9, Message: "the placeholder is not closed; add '}'"},
		},
		"no argument": {
			format: "A{SEQNUM}",
			err:    &ParseError{Format: "A{SEQNUM}", Offset: 1, Length: 8, Message: "a placeholder is {NAME:argument}, e.g. {SEQNUM:4}"},
		},
		"bad date token": {
			format: "D{DATETIMEUTC:yyyyMMddx}",
			err:    &ParseError{Format: "D{DATETIMEUTC:yyyyMMddx}", Offset: 22, Length: 1, Message: `"x" is not a .NET date-time format specifier; put literal text in quotes, e.g. 'x'`},
		},
		"day names": {
			format: "{DATETIMEUTC:ddd}",
			err:    &ParseError{Format: "{DATETIMEUTC:ddd}", Offset: 13, Length: 3, Message: "day names (ddd) are not supported; use d or dd"},
		},
		"unterminated quote": {
			format: "{DATETIMEUTC:yy'x}",
			err:    &ParseError{Format: "{DATETIMEUTC:yy'x}", Offset: 15, Length: 2, Message: "the quoted text is not closed; add a closing '"},
		},
		"culture standard format": {
			format: "{DATETIMEUTC:d}",
			err:    &ParseError{Format: "{DATETIMEUTC:d}", Offset: 13, Length: 1, Message: `"d" is a culture-dependent .NET standard format; write a custom format such as yyyyMMdd`},
		},
		"too many fraction digits": {
			format: "{DATETIMEUTC:ffffffff}",
			err:    &ParseError{Format: "{DATETIMEUTC:ffffffff}", Offset: 13, Length: 8, Message: "at most 7 fraction digits (f) are allowed"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := ParseAutoNumberFormat(tc.format)
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
			if diff := cmp.Diff(tc.items, f.Items, cmpopts.IgnoreFields(Item{}, "Time")); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAutoNumberValue(t *testing.T) {
	at := time.Date(2017, 9, 13, 19, 2, 40, 123_450_000, time.UTC)
	tests := map[string]struct {
		format string
		seq    int64
		random []string
		want   string
	}{
		"documented widget": {format: "WID-{SEQNUM:5}-{RANDSTRING:6}-{DATETIMEUTC:yyyyMMddHHmmss}",
			seq: 1, random: []string{"AB7LSF"}, want: "WID-00001-AB7LSF-20170913190240"},
		"seqnum grows past width": {format: "KA-{SEQNUM:4}", seq: 123456, want: "KA-123456"},
		"twelve hour clock":       {format: "{SEQNUM:1}{DATETIMEUTC:hh tt}", seq: 7, want: "707 PM"},
		"fractions":               {format: "{SEQNUM:1}{DATETIMEUTC:fff}", seq: 0, want: "0123"},
		"trimmed fractions":       {format: "{SEQNUM:1}{DATETIMEUTC:FFFFFFF}", seq: 0, want: "012345"},
		"repeated fractions":      {format: "{SEQNUM:1}{DATETIMEUTC:F ff}", seq: 0, want: "01 12"},
		"quoted and escaped":      {format: "{SEQNUM:1}{DATETIMEUTC:'y'yy\\M%M}", seq: 0, want: "0y17M9"},
		"month names":             {format: "{SEQNUM:1}{DATETIMEUTC:MMM MMMM}", seq: 0, want: "0Sep September"},
		"sortable standard":       {format: "{DATETIMEUTC:s}#{SEQNUM:1}", seq: 2, want: "2017-09-13T19:02:40#2"},
		"short year unpadded":     {format: "{DATETIMEUTC:%y}{SEQNUM:1}", seq: 2, want: "172"},
		"capped hour width":       {format: "{DATETIMEUTC:HHH}{SEQNUM:1}", seq: 2, want: "192"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := ParseAutoNumberFormat(tc.format)
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.Value(tc.seq, tc.random, at)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("value (-want +got):\n%s", diff)
			}
			l, err := f.Language(tc.seq)
			if err != nil {
				t.Fatal(err)
			}
			if !l.Contains(got) {
				t.Errorf("the language does not contain its own value %q", got)
			}
		})
	}
}

func TestAutoNumberLanguageSeed(t *testing.T) {
	f, err := ParseAutoNumberFormat("KA-{SEQNUM:4}")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Language(-1); err == nil {
		t.Fatal("a negative seed was accepted")
	}
	l, err := f.Language(5000)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range []string{"KA-4999", "KA-5000", "KA-9999", "KA-10000", "KA-04999", "KA-0500", "KA-99999999999999999999999"} {
		got[s] = l.Contains(s)
	}
	want := map[string]bool{"KA-4999": false, "KA-5000": true, "KA-9999": true, "KA-10000": true,
		"KA-04999": false, "KA-0500": false, "KA-99999999999999999999999": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("membership (-want +got):\n%s", diff)
	}
}
