package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/dwctl/dwctl/config"
)

// newFlagSet returns a flag set that reports errors to its caller instead
// of printing or exiting.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args into fs and rejects positional arguments when
// allowArgs is false.
func parseFlags(fs *flag.FlagSet, args []string, allowArgs bool) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !allowArgs && fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// varFlag collects -var and -var-file in command-line order, as the
// config loader needs them (later ones win).
type varFlag struct {
	vars *[]config.VarArg
	file bool
}

func (v varFlag) String() string { return "" }

func (v varFlag) Set(s string) error {
	if !v.file {
		name, _, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return fmt.Errorf("want NAME=VALUE, like -var='stage=prod'")
		}
	}
	if v.file && s == "" {
		return fmt.Errorf("want a file name")
	}
	*v.vars = append(*v.vars, config.VarArg{File: v.file, Value: s})
	return nil
}

// addVarFlags defines -var and -var-file, both appending to vars.
func addVarFlags(fs *flag.FlagSet, vars *[]config.VarArg) {
	fs.Var(varFlag{vars: vars}, "var", "Set the variable `NAME=VALUE`; repeatable.")
	fs.Var(varFlag{vars: vars, file: true}, "var-file",
		"Read variables from the `FILE` (*.dwvars); repeatable. Later -var and -var-file win.")
}

// addNoColor defines -no-color.
func addNoColor(fs *flag.FlagSet, noColor *bool) {
	fs.BoolVar(noColor, "no-color", false, "Disable colour in the output.")
}
