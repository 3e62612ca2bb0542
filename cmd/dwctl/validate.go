package main

import (
	"flag"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/view"
)

// validateArgs are the arguments of dwctl validate.
type validateArgs struct {
	vars    []config.VarArg
	json    bool
	noColor bool
	live    bool
}

func validateFlags(a *validateArgs) *flag.FlagSet {
	fs := newFlagSet("validate")
	addVarFlags(fs, &a.vars)
	fs.BoolVar(&a.json, "json", false, "Print the result as one JSON document on stdout.")
	fs.BoolVar(&a.live, "live", false, "Also check against the environments' metadata (tables, columns, types, keys, row counts).")
	addNoColor(fs, &a.noColor)
	return fs
}

func validateCommand() *command {
	return &command{
		name:     "validate",
		synopsis: "Check the configuration for errors",
		about: `Loads every *.dw.hcl file of the working directory with its variables and
checks it offline: syntax and types, references, the 1:1 link rule, company
ids, integration keys, filters, number sequences and the documented limits of
dual-write. It reports every problem at once and never contacts a service.

Exit status: 0 valid (warnings allowed), 1 on any error.`,
		flags: func() *flag.FlagSet { return validateFlags(new(validateArgs)) },
		run:   runValidate,
	}
}

func parseValidate(args []string) (validateArgs, error) {
	var a validateArgs
	err := parseFlags(validateFlags(&a), args, false)
	return a, err
}

func runValidate(p *process, args []string) int {
	a, err := parseValidate(args)
	if err != nil {
		return p.usageError(err)
	}
	cfg, diags := p.loadConfig(a.vars)
	p.log.Debug("configuration loaded", "files", len(cfg.Sources), "diagnostics", len(diags))
	if a.live && !diags.HasErrors() {
		more, err := liveDiagnostics(p, cfg)
		if err != nil {
			return p.fail(err)
		}
		diags = append(diags, more...)
	}
	v := view.Validate{Streams: p.streams(a.noColor), JSON: a.json}
	result := view.NewValidateResult(diags, cfg.Sources)
	if err := v.Result(result); err != nil {
		return p.fail(err)
	}
	if !result.Valid {
		return exitError
	}
	return exitOK
}
