package filter

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"
)

// reparse parses e's canonical form again in the same language and mode.
func reparse(e Expr) (Expr, []Diagnostic) {
	switch x := e.(type) {
	case *odataExpr:
		return parseOData(x.String(), x.mode)
	case *finopsExpr:
		return parseFinOps(x.String())
	}
	return nil, nil
}

func rootOf(e Expr) node {
	switch x := e.(type) {
	case *odataExpr:
		return x.root
	case *finopsExpr:
		return x.root
	}
	return nil
}

// checkRoundTrip requires parse(print(ast)) == ast, print to be a fixed
// point, and the canonical form to need no rewrite.
func checkRoundTrip(t testing.TB, e Expr) {
	t.Helper()
	s := e.String()
	e2, diags := reparse(e)
	if e2 == nil {
		t.Fatalf("canonical form %q does not parse: %v", s, diags)
	}
	if !equalNodes(rootOf(e), rootOf(e2)) {
		t.Fatalf("canonical form %q parses to another tree", s)
	}
	if s2 := e2.String(); s2 != s {
		t.Fatalf("printing is not stable: %q then %q", s, s2)
	}
	for _, d := range diags {
		if d.Rewrite != "" {
			t.Fatalf("canonical form %q draws a rewrite warning: %v", s, d)
		}
	}
}

// checkAnyInput runs what no input may break: spans inside the source,
// errors without an Expr, a stable round trip, and evaluation without panics.
func checkAnyInput(t *testing.T, src string, e Expr, diags []Diagnostic) {
	for _, d := range diags {
		if d.Start < 0 || d.End < d.Start || d.End > len(src) {
			t.Fatalf("diagnostic %v has span %d..%d outside %d bytes", d.Summary, d.Start, d.End, len(src))
		}
	}
	if (e == nil) != HasErrors(diags) {
		t.Fatalf("Expr %v with diagnostics %v", e, diags)
	}
	if e == nil {
		return
	}
	checkRoundTrip(t, e)
	for _, c := range e.Columns() {
		if c.Start < 0 || c.End > len(src) || c.Start >= c.End {
			t.Fatalf("column %q has span %d..%d", c.Name, c.Start, c.End)
		}
	}
	again, _ := reparse(e)
	rows := []MapRow{{}, fuzzRow("x"), fuzzRow(int64(1)), fuzzRow(2.5), fuzzRow(true),
		fuzzRow(time.Date(2021, 6, 23, 0, 0, 0, 0, time.UTC))}
	for _, r := range rows {
		ok, err := e.Eval(r)
		ok2, err2 := again.Eval(r)
		if ok != ok2 || (err == nil) != (err2 == nil) {
			t.Fatalf("%q and its canonical form %q disagree on %v: %v/%v and %v/%v", src, again, r, ok, err, ok2, err2)
		}
	}
}

// fuzzRow answers every column with v.
type fuzzRowValue struct{ v any }

func (r fuzzRowValue) Value(string) (any, bool) { return r.v, true }

func fuzzRow(v any) MapRow {
	return MapRow{"a": v, "name": v, "Field": v, "statecode": v}
}

func seedFromCorpus(f *testing.F, file string) {
	fh, err := os.Open("testdata/" + file)
	if err != nil {
		f.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "filter: "); ok {
			f.Add(rest)
		}
	}
}

func FuzzParseDataverse(f *testing.F) {
	seedFromCorpus(f, "dataverse.txt")
	seedFromCorpus(f, "webapi.txt")
	seedFromCorpus(f, "finopsodata.txt")
	f.Fuzz(func(t *testing.T, src string) {
		for _, mode := range []odataMode{modeDualWrite, modeWebAPI, modeFinOpsOData} {
			e, diags := parseOData(src, mode)
			checkAnyInput(t, src, e, diags)
			if e != nil {
				e.Eval(fuzzRowValue{"Text"}) //nolint:errcheck // only panics matter here
			}
		}
	})
}

func FuzzParseFinOps(f *testing.F) {
	seedFromCorpus(f, "finops.txt")
	f.Fuzz(func(t *testing.T, src string) {
		e, diags := ParseFinOps(src)
		checkAnyInput(t, src, e, diags)
		if e != nil {
			e.Eval(fuzzRowValue{int64(1)}) //nolint:errcheck // only panics matter here
		}
	})
}
