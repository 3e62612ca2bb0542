package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/hcl/v2"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/connection"
	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/view"
)

// Exit statuses.
const (
	exitOK      = 0
	exitError   = 1
	exitChanged = 3 // fmt -check: some file is not formatted
)

// process is what one run of dwctl works with: the standard streams, what
// is known about them, the environment, the logger and the command being run.
type process struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	outTTY, errTTY bool
	// width is the terminal width of stderr, 0 when it is not a terminal.
	width   int
	environ []string
	log     hclog.Logger
	cmd     *command
}

// getenv returns the value of name in the process environment.
func (p *process) getenv(name string) string {
	return lookupEnv(p.environ, name)
}

// lookupEnv returns the value of name in environ (KEY=VALUE entries); the
// last entry wins, as with os.Getenv after repeated setting.
func lookupEnv(environ []string, name string) string {
	for i := len(environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(environ[i], "="); ok && k == name {
			return v
		}
	}
	return ""
}

// streams returns the view streams, with colour where the stream is a
// terminal, unless -no-color was given or NO_COLOR is set.
func (p *process) streams(noColor bool) view.Streams {
	color := !noColor && p.getenv("NO_COLOR") == ""
	s := view.Streams{Out: p.stdout, Err: p.stderr, OutColor: color && p.outTTY, ErrColor: color && p.errTTY}
	if p.errTTY {
		s.Width = p.width
	}
	return s
}

// helpView prints help and usage errors, with colour where possible.
func (p *process) helpView() view.Help {
	return view.Help{Streams: p.streams(false)}
}

// usageError reports a command-line mistake in the current command: a
// one-line error and the command's help on stderr, exit status 1. A request
// for help (-help) prints the help on stdout instead, exit status 0.
func (p *process) usageError(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		_ = p.helpView().Show(commandHelp(p.cmd))
		return exitOK
	}
	_ = p.helpView().UsageError(err, commandHelp(p.cmd))
	return exitError
}

// fail reports an error that is not about the command line, exit status 1.
func (p *process) fail(err error) int {
	_ = p.helpView().Error(err)
	return exitError
}

// loadConfig loads the configuration of the working directory with the
// given -var and -var-file arguments, the process environment and this
// binary's version (for dwctl.required_version).
func (p *process) loadConfig(vars []config.VarArg) (*config.Config, hcl.Diagnostics) {
	return config.Load(".", config.LoadOptions{Vars: vars, Environ: p.environ, Version: versionInfo().Version})
}

// openConnections opens the providers of every link of cfg. Embedded
// emulators (url = "emulator://NAME") start, the first time, with the data
// set named by DWCTL_EMULATOR_FINOPS (demo, the default, empty or existing),
// DWCTL_EMULATOR_DATAVERSE (existing, the default, or empty) and
// DWCTL_EMULATOR_ROWS, plus the legal entities cfg names.
func (p *process) openConnections(ctx context.Context, cfg *config.Config) (*connection.Connections, error) {
	eo := emulator.Options{FinOps: "demo", Dataverse: "existing"}
	if v := p.getenv("DWCTL_EMULATOR_FINOPS"); v != "" {
		eo.FinOps = v
	}
	if v := p.getenv("DWCTL_EMULATOR_DATAVERSE"); v != "" {
		eo.Dataverse = v
	}
	if v := p.getenv("DWCTL_EMULATOR_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("DWCTL_EMULATOR_ROWS=%q is not a number of rows", v)
		}
		eo.Rows = n
	}
	return connection.Open(ctx, cfg, connection.Options{Dir: ".", Logger: p.log.Named("providers"),
		Emulator: eo, SeedCompanies: true})
}
