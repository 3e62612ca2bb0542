package main

import (
	"flag"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
)

// command is one entry of the command table.
type command struct {
	// name is the words that select the command, like "validate" or
	// "emulator serve".
	name string
	// args describes the positional arguments for the usage line.
	args     string
	synopsis string
	// about is the help text between the usage line and the options.
	about string
	// flags returns the command's flag set bound to a throwaway arguments
	// value; help lists the options from it, so help cannot drift from
	// parsing.
	flags func() *flag.FlagSet
	// run parses args and runs the command, returning the exit status.
	run func(p *process, args []string) int
}

// commands is the command table, in the order help lists it. Only commands
// that work belong here.
var commands []*command

// groups describes the first word of multi-word commands.
var groups = map[string]string{
	"emulator": "Run the local emulator of F&O, Dataverse and their token authority",
	"state":    "Inspect and change what dwctl manages",
}

func init() {
	commands = []*command{
		validateCommand(),
		fmtCommand(),
		planCommand(),
		applyCommand(),
		refreshCommand(),
		showCommand(),
		graphCommand(),
		testCommand(),
		importCommand(),
		emulatorServeCommand(),
		loginCommand(),
		versionCommand(),
		helpCommand(),
	}
	commands = append(commands, stateCommands()...)
}

// lookup finds the command named by the leading words of args, preferring
// the longest name, and returns it with the remaining arguments.
func lookup(args []string) (*command, []string) {
	var best *command
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(words) > len(args) || (best != nil && len(words) <= len(strings.Fields(best.name))) {
			continue
		}
		if strings.Join(args[:len(words)], " ") == c.name {
			best = c
		}
	}
	if best == nil {
		return nil, args
	}
	return best, args[len(strings.Fields(best.name)):]
}

// subcommands lists the commands under a group, like "emulator".
func subcommands(group string) []*command {
	var out []*command
	for _, c := range commands {
		if strings.HasPrefix(c.name, group+" ") {
			out = append(out, c)
		}
	}
	return out
}

// suggest returns the candidate closest to name, or "" when none is close
// enough to be a likely typo.
func suggest(name string, candidates []string) string {
	best, bestDist := "", 3
	for _, n := range candidates {
		if d := levenshtein.Distance(name, n, nil); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// topLevelNames are the first words of every command, sorted.
func topLevelNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range commands {
		w := strings.Fields(c.name)[0]
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}
