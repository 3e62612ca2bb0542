package transfer

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCursor(t *testing.T) {
	cases := map[string]struct {
		cursor string
		phase  string
		rows   int64
	}{
		"empty":      {"", "A", 0},
		"phase A":    {"A:500", "A", 500},
		"round trip": {Cursor{Phase: "B", Done: 7}.String(), "B", 7},
		"phase B":    {"B:1000", "B", 1000},
		"bad phase":  {"C:10", "A", 0},
		"bad number": {"B:x", "A", 0},
		"negative":   {"B:-1", "A", 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ParseCursor(tc.cursor)
			if diff := cmp.Diff(Cursor{Phase: tc.phase, Done: tc.rows}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSameValue(t *testing.T) {
	cases := map[string]struct {
		want, have any
		same       bool
	}{
		"equal text":       {"a", "a", true},
		"text differs":     {"a", "A", false},
		"decimal places":   {"1", "1.0000000000", true},
		"number vs string": {int64(3), "3", true},
		"nil and empty":    {nil, "", true},
		"bool as text":     {"true", true, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := sameValue(tc.want, tc.have); got != tc.same {
				t.Errorf("sameValue(%v, %v) = %v", tc.want, tc.have, got)
			}
		})
	}
}
