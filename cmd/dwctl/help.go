package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/mitchellh/go-wordwrap"
)

const mainAbout = `dwctl manages Dynamics 365 dual-write configuration as code: links, companies,
integration keys, table maps and number sequences are written in HCL
(*.dw.hcl), checked offline, and tried against a local emulator of Finance and
Operations, Dataverse and their token authority.`

const environmentHelp = `Environment:
  DWCTL_LOG        Log level on stderr: trace, debug, info, warn, error or off
                   (default off).
  DWCTL_LOG_PATH   Append the log to this file instead of stderr.
  DWCTL_VAR_name   Value of the variable "name" (below -var and -var-file).
  DWCTL_GATEWAY_TOKEN_CACHE
                   The dual-write gateway session file made by dwctl login
                   (default: in the user's configuration directory).
  DWCTL_EMULATOR_FINOPS, DWCTL_EMULATOR_DATAVERSE, DWCTL_EMULATOR_ROWS
                   The data an embedded emulator (emulator://) starts with:
                   demo or empty, existing or empty, and the rows per table.
  NO_COLOR         Disable colour, as -no-color does.
`

// mainHelp is the top-level help: usage, commands, global options.
func mainHelp() string {
	var b strings.Builder
	b.WriteString("Usage: dwctl [global options] <command> [options] [args]\n\n")
	b.WriteString(mainAbout + "\n\nCommands:\n")
	var rows [][2]string
	seen := map[string]bool{}
	for _, c := range commands {
		name, synopsis := c.name, c.synopsis
		if g, _, ok := strings.Cut(c.name, " "); ok {
			name, synopsis = g, groups[g]
		}
		if !seen[name] {
			seen[name] = true
			rows = append(rows, [2]string{name, synopsis})
		}
	}
	writeRows(&b, rows)
	b.WriteString("\nGlobal options (before the command):\n")
	writeFlags(&b, globalFlags(new(globalArgs)))
	b.WriteString("\n" + environmentHelp)
	b.WriteString("\nRun \"dwctl help <command>\" or \"dwctl <command> -help\" for a command's options.\n")
	return b.String()
}

// commandHelp is the help of one command: usage line, description, options.
func commandHelp(c *command) string {
	if c == nil {
		return mainHelp()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: dwctl [global options] %s [options]", c.name)
	if c.args != "" {
		b.WriteString(" " + c.args)
	}
	b.WriteString("\n\n" + c.about + "\n")
	fs := c.flags()
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		b.WriteString("\nOptions:\n")
		writeFlags(&b, fs)
	}
	return b.String()
}

// groupHelp lists the commands of a group such as "emulator".
func groupHelp(group string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: dwctl [global options] %s <subcommand> [options] [args]\n\n%s.\n\nSubcommands:\n", group, groups[group])
	var rows [][2]string
	for _, c := range subcommands(group) {
		rows = append(rows, [2]string{strings.TrimPrefix(c.name, group+" "), c.synopsis})
	}
	writeRows(&b, rows)
	return b.String()
}

// helpWidth is the width help text is wrapped to.
const helpWidth = 80

// writeRows writes two aligned columns, wrapping the second to helpWidth
// with continuation lines indented under it.
func writeRows(b *strings.Builder, rows [][2]string) {
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	indent := "\n" + strings.Repeat(" ", width+4)
	for _, r := range rows {
		text := r[1]
		if width+4 < helpWidth/2 {
			text = wordwrap.WrapString(text, uint(helpWidth-width-4))
		}
		fmt.Fprintf(b, "  %-*s  %s\n", width, r[0], strings.ReplaceAll(text, "\n", indent))
	}
}

// writeFlags lists the flags of fs in definition order of their names,
// with the value placeholder taken from the backquoted word of the usage.
func writeFlags(b *strings.Builder, fs *flag.FlagSet) {
	var rows [][2]string
	fs.VisitAll(func(f *flag.Flag) {
		placeholder, usage := flag.UnquoteUsage(f)
		name := "-" + f.Name
		switch {
		case isBoolFlag(f) && f.DefValue == "true":
			name += "=true"
			usage += " (default true)"
		case !isBoolFlag(f) && strings.Contains(placeholder, "="):
			name += " " + placeholder
		case !isBoolFlag(f):
			name += "=" + placeholder
			if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "0s" {
				usage += " (default " + f.DefValue + ")"
			}
		}
		rows = append(rows, [2]string{name, usage})
	})
	writeRows(b, rows)
}

func isBoolFlag(f *flag.Flag) bool {
	bf, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && bf.IsBoolFlag()
}

// helpArgs are the arguments of dwctl help: the words of a command name.
type helpArgs struct {
	topic []string
}

func helpCommand() *command {
	return &command{
		name:     "help",
		args:     "[COMMAND]",
		synopsis: "Show help for dwctl or one of its commands",
		about:    "Shows the list of commands, or the usage and options of COMMAND.",
		flags:    func() *flag.FlagSet { return newFlagSet("help") },
		run:      runHelp,
	}
}

func parseHelp(args []string) (helpArgs, error) {
	fs := newFlagSet("help")
	if err := fs.Parse(args); err != nil {
		return helpArgs{}, err
	}
	return helpArgs{topic: fs.Args()}, nil
}

func runHelp(p *process, args []string) int {
	a, err := parseHelp(args)
	if err != nil {
		return p.usageError(err)
	}
	text, err := helpTopic(a.topic)
	if err != nil {
		return p.usageError(err)
	}
	_ = p.helpView().Show(text)
	return exitOK
}

// helpTopic is the help text for the command or group named by topic.
func helpTopic(topic []string) (string, error) {
	if len(topic) == 0 {
		return mainHelp(), nil
	}
	if c, rest := lookup(topic); c != nil && len(rest) == 0 {
		return commandHelp(c), nil
	}
	if len(topic) == 1 && groups[topic[0]] != "" {
		return groupHelp(topic[0]), nil
	}
	return "", errors.New(unknownCommand(strings.Join(topic, " "), topLevelNames()))
}

// unknownCommand is the one-line error for a command name that does not
// exist, with a suggestion from candidates when its last word looks like a
// typo of one.
func unknownCommand(name string, candidates []string) string {
	msg := fmt.Sprintf("unknown command %q", name)
	words := strings.Fields(name)
	if len(words) == 0 {
		return msg
	}
	if s := suggest(words[len(words)-1], candidates); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg
}
