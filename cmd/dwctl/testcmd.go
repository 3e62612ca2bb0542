package main

import (
	"flag"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/maptest"
	"github.com/dwctl/dwctl/view"
)

// testArgs are the arguments of dwctl test.
type testArgs struct {
	vars    []config.VarArg
	json    bool
	noColor bool
}

func testFlags(a *testArgs) *flag.FlagSet {
	fs := newFlagSet("test")
	addVarFlags(fs, &a.vars)
	fs.BoolVar(&a.json, "json", false, "Print the results as one JSON document on stdout.")
	addNoColor(fs, &a.noColor)
	return fs
}

func testCommand() *command {
	return &command{
		name:     "test",
		synopsis: "Run the map tests of the *.dwtest.hcl files",
		about: `Runs every test block of the *.dwtest.hcl files of the working directory:
sample rows of one side go through a table map's filter and field mappings,
and the rows it writes to the other side are compared with the expected
ones (or the expected error). Tests run offline against the configuration;
a failed expectation is reported on its line.

Exit status: 0 when every test passes, 1 otherwise.`,
		flags: func() *flag.FlagSet { return testFlags(new(testArgs)) },
		run:   runTest,
	}
}

func runTest(p *process, args []string) int {
	var a testArgs
	if err := parseFlags(testFlags(&a), args, false); err != nil {
		return p.usageError(err)
	}
	cfg, diags := p.loadConfig(a.vars)
	files, tdiags := maptest.Load(".", cfg.Sources)
	diags = append(diags, tdiags...)
	run := view.TestRun{Diagnostics: view.NewDiagnostics(diags, cfg.Sources)}
	if !diags.HasErrors() {
		for _, f := range files {
			for _, r := range maptest.Run(cfg, f) {
				run.Tests = append(run.Tests, view.TestResult{File: r.File, Test: r.Test, Passed: r.Passed(),
					Diagnostics: view.NewDiagnostics(r.Diags, cfg.Sources)})
				if r.Passed() {
					run.Passed++
				} else {
					run.Failed++
				}
			}
		}
	}
	if err := (view.Tests{Streams: p.streams(a.noColor), JSON: a.json}).Result(run); err != nil {
		return p.fail(err)
	}
	if diags.HasErrors() || run.Failed > 0 {
		return exitError
	}
	return exitOK
}
