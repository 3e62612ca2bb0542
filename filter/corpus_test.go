package filter

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the expected diagnostics and canonical forms in testdata/*.txt")

// The corpus files hold one case per "filter:" line, followed by:
//
//	ok                      no diagnostics
//	error 12: Summary       a diagnostic at byte column 12 (1-based)
//	warning 1: Summary
//	canon: ...              the canonical form (String)
//	rewrite: ...            the Rewrite every rewritable warning carries
//	true: {"col": 1}        a row that passes (JSON; {"time": "..."} is a time.Time)
//	false: {...}            a row that does not pass
//	fails: {...}            a row Eval reports an error for
//
// Lines starting with # are comments. -update rewrites the diagnostic and
// canon lines from what the parser does; rows are never rewritten.
var corpusLangs = map[string]func(string) (Expr, []Diagnostic){
	"dataverse.txt":   ParseDataverse,
	"webapi.txt":      ParseWebAPI,
	"finops.txt":      ParseFinOps,
	"finopsodata.txt": ParseFinOpsOData,
}

type corpusCase struct {
	line    int
	src     string
	diags   []string
	canon   string
	rewrite string
	rows    []corpusRow
}

type corpusRow struct {
	line int
	want string // true, false or fails
	json string
}

func TestCorpus(t *testing.T) {
	total := 0
	for file, parse := range corpusLangs {
		cases := readCorpus(t, filepath.Join("testdata", file))
		total += len(cases)
		for i, c := range cases {
			t.Run(fmt.Sprintf("%s:%d", file, c.line), func(t *testing.T) {
				cases[i] = runCorpusCase(t, parse, c)
			})
		}
		if *update {
			writeCorpus(t, filepath.Join("testdata", file), cases)
		}
	}
	if total < 100 {
		t.Errorf("corpus holds %d expressions, want at least 100", total)
	}
}

func runCorpusCase(t *testing.T, parse func(string) (Expr, []Diagnostic), c corpusCase) corpusCase {
	e, diags := parse(c.src)
	got := diagLines(diags)
	if *update {
		c.diags = got
		if e != nil {
			c.canon = e.String()
		}
	}
	if diff := cmp.Diff(c.diags, got); diff != "" {
		t.Errorf("diagnostics of %q (-want +got):\n%s", c.src, diff)
	}
	checkSpans(t, c.src, diags)
	if e == nil {
		if len(c.rows) > 0 {
			t.Errorf("rows given for a filter that does not parse")
		}
		return c
	}
	if c.canon != e.String() {
		t.Errorf("canonical form of %q = %q, want %q", c.src, e.String(), c.canon)
	}
	checkRoundTrip(t, e)
	for _, d := range diags {
		if d.Rewrite != "" && c.rewrite != "" && d.Rewrite != c.rewrite {
			t.Errorf("rewrite = %q, want %q", d.Rewrite, c.rewrite)
		}
	}
	for _, r := range c.rows {
		checkRow(t, e, r)
	}
	return c
}

func diagLines(diags []Diagnostic) []string {
	var out []string
	for _, d := range diags {
		out = append(out, fmt.Sprintf("%s %d: %s", d.Severity, d.Start+1, d.Summary))
	}
	if len(out) == 0 {
		out = []string{"ok"}
	}
	return out
}

// checkSpans requires every diagnostic to cover bytes of the source (or the
// end of input) and to carry a hint.
func checkSpans(t *testing.T, src string, diags []Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Start < 0 || d.End < d.Start || d.End > len(src) {
			t.Errorf("diagnostic %q has span %d..%d outside %d bytes", d.Summary, d.Start, d.End, len(src))
		}
		if d.End == d.Start && d.Start != len(src) {
			t.Errorf("diagnostic %q has an empty span inside the source", d.Summary)
		}
		if d.Detail == "" {
			t.Errorf("diagnostic %q has no detail", d.Summary)
		}
	}
}

func checkRow(t *testing.T, e Expr, r corpusRow) {
	t.Helper()
	row, err := decodeRow(r.json)
	if err != nil {
		t.Fatalf("line %d: %v", r.line, err)
	}
	ok, err := e.Eval(row)
	got := fmt.Sprint(ok)
	if err != nil {
		got = "fails"
	}
	if got != r.want {
		t.Errorf("line %d: Eval(%s) = %s (err %v), want %s", r.line, r.json, got, err, r.want)
	}
}

// decodeRow reads a JSON object into a MapRow: integers become int64, other
// numbers float64, and {"time": "RFC 3339"} a time.Time.
func decodeRow(s string) (MapRow, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	row := MapRow{}
	for k, v := range m {
		switch x := v.(type) {
		case json.Number:
			n, err := normalize(x)
			if err != nil {
				return nil, err
			}
			row[k] = n
		case map[string]any:
			ts, _ := x["time"].(string)
			tm, err := time.Parse(time.RFC3339Nano, ts)
			if err != nil {
				return nil, fmt.Errorf("column %s: %v", k, err)
			}
			row[k] = tm
		default:
			row[k] = v
		}
	}
	return row, nil
}

func readCorpus(t *testing.T, path string) []corpusCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []corpusCase
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		key, rest, _ := strings.Cut(line, ": ")
		if key == "filter" {
			cases = append(cases, corpusCase{line: n, src: rest})
			continue
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(cases) == 0 {
			t.Fatalf("%s:%d: %q before the first filter:", path, n, line)
		}
		c := &cases[len(cases)-1]
		switch key {
		case "canon":
			c.canon = rest
		case "rewrite":
			c.rewrite = rest
		case "true", "false", "fails":
			c.rows = append(c.rows, corpusRow{line: n, want: key, json: rest})
		default:
			c.diags = append(c.diags, line)
		}
	}
	return cases
}

// writeCorpus rewrites path with the cases' diagnostics and canonical forms,
// keeping comments and rows in place.
func writeCorpus(t *testing.T, path string, cases []corpusCase) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	ci := -1
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		key, _, _ := strings.Cut(line, ": ")
		switch {
		case key == "filter":
			ci++
			out.WriteString(line + "\n")
			for _, d := range cases[ci].diags {
				out.WriteString(d + "\n")
			}
			if cases[ci].canon != "" {
				out.WriteString("canon: " + cases[ci].canon + "\n")
			}
		case ci >= 0 && !strings.HasPrefix(line, "#") && strings.TrimSpace(line) != "" &&
			key != "true" && key != "false" && key != "fails" && key != "rewrite":
			// a diagnostic or canon line: regenerated above
		default:
			out.WriteString(line + "\n")
		}
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
