package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

// globalArgs are the options that come before the command name.
type globalArgs struct {
	chdir   string
	help    bool
	version bool
}

func globalFlags(a *globalArgs) *flag.FlagSet {
	fs := newFlagSet("dwctl")
	fs.StringVar(&a.chdir, "chdir", "", "Switch to the directory `DIR` before running the command.")
	fs.BoolVar(&a.help, "help", false, "Show this help.")
	fs.BoolVar(&a.version, "version", false, "Show the version, as the version command does.")
	return fs
}

// parseGlobal parses the global options and returns the command words and
// their arguments.
func parseGlobal(args []string) (globalArgs, []string, error) {
	var a globalArgs
	fs := globalFlags(&a)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.help = true
			return a, nil, nil
		}
		return a, nil, globalFlagError(err, args)
	}
	return a, fs.Args(), nil
}

// globalFlagError explains a command option given before the command name.
func globalFlagError(err error, args []string) error {
	for _, arg := range args {
		name := strings.TrimLeft(strings.SplitN(arg, "=", 2)[0], "-")
		if strings.HasPrefix(arg, "-") && commandHasFlag(name) {
			return fmt.Errorf("-%s is an option of a command; put it after the command name", name)
		}
	}
	return err
}

// commandHasFlag reports whether any command defines the flag name.
func commandHasFlag(name string) bool {
	for _, c := range commands {
		if c.flags().Lookup(name) != nil {
			return true
		}
	}
	return false
}

// run is dwctl: it parses the global options, sets up logging, switches
// directory and runs the command, returning the exit status.
func run(args []string, p *process) int {
	g, rest, err := parseGlobal(args)
	if err != nil {
		_ = p.helpView().UsageError(err, mainHelp())
		return exitError
	}
	switch {
	case g.help:
		_ = p.helpView().Show(mainHelp())
		return exitOK
	case g.version:
		rest = []string{"version"}
	case len(rest) == 0:
		_ = p.helpView().UsageError(errors.New("no command given"), mainHelp())
		return exitError
	}
	log, closeLog := newLogger(p.environ, p.stderr)
	defer closeLog()
	p.log = log
	if g.chdir != "" {
		if err := os.Chdir(g.chdir); err != nil {
			return p.fail(fmt.Errorf("-chdir: %w", err))
		}
		log.Debug("changed directory", "dir", g.chdir)
	}
	return dispatch(p, rest)
}

// dispatch runs the command named by the leading words of args.
func dispatch(p *process, args []string) int {
	c, rest := lookup(args)
	if c != nil {
		p.cmd = c
		p.log = p.log.Named(strings.ReplaceAll(c.name, " ", "."))
		p.log.Debug("running command", "args", len(rest))
		return c.run(p, rest)
	}
	if g := args[0]; groups[g] != "" {
		return groupUsage(p, g, args[1:])
	}
	_ = p.helpView().UsageError(errors.New(unknownCommand(args[0], topLevelNames())), mainHelp())
	return exitError
}

// groupUsage handles a group name without a known subcommand: help when
// asked for, a usage error otherwise.
func groupUsage(p *process, group string, rest []string) int {
	if len(rest) > 0 && (rest[0] == "-help" || rest[0] == "-h" || rest[0] == "--help") {
		_ = p.helpView().Show(groupHelp(group))
		return exitOK
	}
	err := fmt.Errorf("%s needs a subcommand", group)
	if len(rest) > 0 {
		var names []string
		for _, c := range subcommands(group) {
			names = append(names, strings.TrimPrefix(c.name, group+" "))
		}
		err = errors.New(unknownCommand(group+" "+rest[0], names))
	}
	_ = p.helpView().UsageError(err, groupHelp(group))
	return exitError
}
