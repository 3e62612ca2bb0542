package dataverse

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSkipToken(t *testing.T) {
	t.Parallel()
	tok := makeSkipToken(3, "accountid", "aa11bb22-0000-4000-8000-000000000001", "aa11bb22-0000-4000-8000-000000000000", false)
	page, last := parseSkipToken(tok)
	if diff := cmp.Diff([]any{3, "aa11bb22-0000-4000-8000-000000000001"}, []any{page, last}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(tok, `<cookie pagenumber="3" pagingcookie="%253Ccookie%2520page%253D%25222%2522%253E`) {
		t.Errorf("token shape %s", tok)
	}
}

func FuzzParseSkipToken(f *testing.F) {
	f.Add(makeSkipToken(2, "accountid", "aa11bb22-0000-4000-8000-000000000001", "aa11bb22-0000-4000-8000-000000000000", false))
	f.Add(`<cookie pagenumber="x" />`)
	f.Fuzz(func(t *testing.T, s string) {
		if page, _ := parseSkipToken(s); page < 1 {
			t.Errorf("%q: page %d", s, page)
		}
	})
}
