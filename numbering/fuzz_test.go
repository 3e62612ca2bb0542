package numbering

import (
	"errors"
	"testing"
	"time"
)

// FuzzParseFinOpsFormat checks that the parser never panics, that errors
// point inside the format, and that parsed formats give values of their
// width that their language contains.
func FuzzParseFinOpsFormat(f *testing.F) {
	for _, s := range []string{"US-####", "&&##_2017", "#", "&", "CUST", "", "A\t#", "Ä#&", "\xff#"} {
		f.Add(s, int64(1), int64(99))
	}
	f.Fuzz(func(t *testing.T, s string, smallest, largest int64) {
		format, err := ParseFinOpsFormat(s)
		if err != nil {
			checkParseError(t, s, err)
			return
		}
		l, err := format.Language(smallest, largest)
		var rerr *RangeError
		if errors.As(err, &rerr) {
			return
		}
		if err != nil {
			t.Fatalf("Language: %v", err)
		}
		for _, n := range []int64{smallest, largest, smallest + (largest-smallest)/2} {
			v, err := format.Value(n)
			if err != nil {
				t.Fatalf("Value(%d): %v", n, err)
			}
			if len(v) != format.Width() || !l.Contains(v) {
				t.Fatalf("Value(%d) = %q is not a value of the language", n, v)
			}
		}
	})
}

// FuzzParseAutoNumberFormat checks that the parser never panics, that errors
// point inside the format, and that generated values are in the language.
func FuzzParseAutoNumberFormat(f *testing.F) {
	for _, s := range []string{
		"WID-{SEQNUM:5}-{RANDSTRING:6}-{DATETIMEUTC:yyyyMMddhhmmss}", "C{SEQNUM:4}", "{RANDSTRING:7}",
		"{DATETIMEUTC:s}", "{DATETIMEUTC:'x}", "{SEQNUM:1}{SEQNUM:2}", "{{}}{X:1}", "{DATETIMEUTC:hh tt}{SEQNUM:1}",
		"{DATETIMEUTC:yyyy yy}-{RANDSTRING:2}", "{DATETIMEUTC:%", "",
	} {
		f.Add(s, int64(1000), int64(1_500_000_000))
	}
	f.Fuzz(func(t *testing.T, s string, seed, unix int64) {
		format, err := ParseAutoNumberFormat(s)
		if err != nil {
			checkParseError(t, s, err)
			return
		}
		l, err := format.Language(seed)
		if err != nil {
			var rerr *RangeError
			if !errors.As(err, &rerr) || seed >= 0 {
				t.Fatalf("Language(%d): %v", seed, err)
			}
			return
		}
		var random []string
		for _, it := range format.Items {
			if it.Kind == RandString {
				random = append(random, RandStringAlphabet[:it.Width])
			}
		}
		at := time.Unix(unix%253402300800, 0).UTC() // up to 9999-12-31
		if at.Year() < 1 {
			return
		}
		v, err := format.Value(seed, random, at)
		if err != nil {
			t.Fatalf("Value: %v", err)
		}
		if !l.Contains(v) {
			t.Fatalf("Value %q is not in the language", v)
		}
	})
}

func checkParseError(t *testing.T, s string, err error) {
	t.Helper()
	var perr *ParseError
	if !errors.As(err, &perr) {
		t.Fatalf("error %v is not a *ParseError", err)
	}
	if perr.Offset < 0 || perr.Length < 0 || perr.Offset+perr.Length > len(s) || perr.Message == "" {
		t.Fatalf("error %+v does not point inside %q", perr, s)
	}
}
