package view

import (
	"fmt"
)

// TestResult is one map test's outcome; Diagnostics are its failed
// expectations.
type TestResult struct {
	File        string       `json:"file"`
	Test        string       `json:"test"`
	Passed      bool         `json:"passed"`
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// TestRun is what dwctl test reports; it is also exactly the JSON
// document of test -json.
type TestRun struct {
	Passed int          `json:"passed"`
	Failed int          `json:"failed"`
	Tests  []TestResult `json:"tests"`
	// Diagnostics are the problems that kept tests from loading.
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// Tests shows the result of dwctl test.
type Tests struct {
	Streams
	JSON bool
}

// Result prints r: as one JSON document on Out, or per file a line per
// test on Out, the failed expectations on Err and a summary.
func (v Tests) Result(r TestRun) error {
	if v.JSON {
		if r.Tests == nil {
			r.Tests = []TestResult{}
		}
		if r.Diagnostics == nil {
			r.Diagnostics = []Diagnostic{}
		}
		return writeJSON(v.Out, r)
	}
	if err := v.Diagnostics(r.Diagnostics); err != nil {
		return err
	}
	if len(r.Tests) == 0 && len(r.Diagnostics) == 0 {
		_, err := fmt.Fprintln(v.Out, "No tests: dwctl test runs the test blocks of the *.dwtest.hcl files of the working directory.")
		return err
	}
	file := ""
	for _, t := range r.Tests {
		if t.File != file {
			file = t.File
			if _, err := fmt.Fprintf(v.Out, "%s\n", file); err != nil {
				return err
			}
		}
		outcome := paint(v.OutColor, ansiGreen, "pass")
		if !t.Passed {
			outcome = paint(v.OutColor, ansiRed, "fail")
		}
		if _, err := fmt.Fprintf(v.Out, "  test %q... %s\n", t.Test, outcome); err != nil {
			return err
		}
		if err := v.Diagnostics(t.Diagnostics); err != nil {
			return err
		}
	}
	msg := fmt.Sprintf("%d passed, %d failed.", r.Passed, r.Failed)
	if len(r.Tests) == 0 {
		msg = "The configuration or the test files have errors; no test ran."
	}
	if r.Failed == 0 && len(r.Diagnostics) == 0 {
		msg = paint(v.OutColor, ansiBold+ansiGreen, "Success!") + " " + msg
	} else {
		msg = paint(v.OutColor, ansiBold+ansiRed, "Failure!") + " " + msg
	}
	_, err := fmt.Fprintf(v.Out, "\n%s\n", msg)
	return err
}
