package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dwctl/dwctl/view"
)

// fmtArgs are the arguments of dwctl fmt.
type fmtArgs struct {
	check, diff, recursive bool
	list, write            bool
	noColor                bool
	// paths are the files and directories to format; "-" is standard input.
	paths []string
}

func fmtFlags(a *fmtArgs) *flag.FlagSet {
	fs := newFlagSet("fmt")
	fs.BoolVar(&a.check, "check", false, "Check the formatting only: write nothing, exit 3 when a file is not formatted.")
	fs.BoolVar(&a.diff, "diff", false, "Show the formatting changes as a unified diff.")
	fs.BoolVar(&a.recursive, "recursive", false, "Also format the files in subdirectories (not those starting with \".\").")
	fs.BoolVar(&a.list, "list", true, "List the files whose formatting differs.")
	fs.BoolVar(&a.write, "write", true, "Write the result to the source file instead of only reporting.")
	addNoColor(fs, &a.noColor)
	return fs
}

func fmtCommand() *command {
	return &command{
		name:     "fmt",
		args:     "[DIR|FILE|-]...",
		synopsis: "Rewrite configuration files in the canonical format",
		about: `Rewrites *.dw.hcl, *.dwvars and *.dwtest.hcl files in the canonical layout
(hclwrite's). With no argument it formats the current directory; "-" formats
standard input to standard output. Files with syntax errors are left
unchanged and their errors reported.

Exit status: 0 done, 1 error, 3 with -check when a file is not formatted.`,
		flags: func() *flag.FlagSet { return fmtFlags(new(fmtArgs)) },
		run:   runFmt,
	}
}

func parseFmt(args []string) (fmtArgs, error) {
	var a fmtArgs
	fs := fmtFlags(&a)
	if err := parseFlags(fs, args, true); err != nil {
		return a, err
	}
	a.paths = fs.Args()
	if len(a.paths) == 0 {
		a.paths = []string{"."}
	}
	if a.check {
		a.write = false
	}
	return a, nil
}

// fmtRun is one run of dwctl fmt: its view and what it found so far.
type fmtRun struct {
	args    fmtArgs
	view    view.Fmt
	stdin   io.Reader
	changed bool
	failed  bool
}

func runFmt(p *process, args []string) int {
	a, err := parseFmt(args)
	if err != nil {
		return p.usageError(err)
	}
	r := &fmtRun{args: a, stdin: p.stdin, view: view.Fmt{Streams: p.streams(a.noColor), List: a.list, Diff: a.diff}}
	for _, path := range a.paths {
		if err := r.path(path); err != nil {
			r.failed = true
			_ = p.helpView().Error(err)
		}
	}
	switch {
	case r.failed:
		return exitError
	case r.changed && a.check:
		return exitChanged
	}
	return exitOK
}

// path formats one command-line argument: standard input, a file or a
// directory.
func (r *fmtRun) path(path string) error {
	if path == "-" {
		return r.stdinFile()
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		if !formattable(path) {
			return fmt.Errorf("%s: only %s files can be formatted", path, strings.Join(formatSuffixes, ", "))
		}
		return r.file(path)
	}
	return r.dir(path)
}

// dir formats the formattable files of a directory in name order, and
// those of its subdirectories with -recursive.
func (r *fmtRun) dir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch {
		case e.IsDir() && r.args.recursive && !strings.HasPrefix(e.Name(), "."):
			errs = append(errs, r.dir(path))
		case !e.IsDir() && formattable(e.Name()):
			errs = append(errs, r.file(path))
		}
	}
	return errors.Join(errs...)
}

// file formats one file, reporting and (with -write) writing a change.
func (r *fmtRun) file(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, ok := r.format(src, path)
	if !ok || bytes.Equal(src, out) {
		return nil
	}
	r.changed = true
	if err := r.view.Changed(path, src, out); err != nil {
		return err
	}
	if !r.args.write {
		return nil
	}
	return writeFileAtomic(path, out)
}

// stdinFile formats standard input: the result goes to standard output,
// or only the check and diff with -check or -diff.
func (r *fmtRun) stdinFile() error {
	src, err := io.ReadAll(r.stdin)
	if err != nil {
		return err
	}
	out, ok := r.format(src, "<stdin>")
	if !ok {
		return nil
	}
	changed := !bytes.Equal(src, out)
	r.changed = r.changed || changed
	if r.args.check || r.args.diff {
		if !changed || !r.args.diff {
			return nil
		}
		return view.Fmt{Streams: r.view.Streams, Diff: true}.Changed("<stdin>", src, out)
	}
	return r.view.Formatted(out)
}

// format formats src, showing its syntax errors when it does not parse.
func (r *fmtRun) format(src []byte, name string) ([]byte, bool) {
	out, diags := formatSource(src, name)
	if diags.HasErrors() {
		r.failed = true
		_ = r.view.Diagnostics(view.NewDiagnostics(diags, map[string][]byte{name: src}))
		return nil, false
	}
	return out, true
}
