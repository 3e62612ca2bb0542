package view

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dwctl/dwctl/planner"
)

// WriteMarkdown writes the plan's Markdown parts, separated by MarkdownSeparator.
func WriteMarkdown(w io.Writer, p *planner.Plan) error {
	_, err := fmt.Fprintln(w, strings.Join(RenderMarkdown(p), MarkdownSeparator))
	return err
}

// PlanSaved tells where plan -out saved the plan and how to apply it.
func (s Streams) PlanSaved(path string) error {
	_, err := fmt.Fprintf(s.Out, "\nSaved the plan to %s. Apply it with: dwctl apply %s\n", path, path)
	return err
}

// Setup reports a problem with dwctl's own environment (logging settings) that it works around.
func Setup(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "dwctl: "+format+"\n", args...)
}

// AskApply asks a person at a terminal to approve the plan shown.
func (s Streams) AskApply() { fmt.Fprint(s.Err, "\nDo you want to perform these actions?\n") }

// AskYes asks for the answer "yes".
func (s Streams) AskYes() {
	fmt.Fprint(s.Err, "Only 'yes' will be accepted to approve.\n  Enter a value: ")
}

// Import shows the results of dwctl import.
type Import struct{ Streams }

// LeftOut warns of a map import could not write.
func (v Import) LeftOut(address string) {
	fmt.Fprintf(v.Err, "Warning: left out the map %s: its definition could not be read.\n", address)
}

// Nothing says that the pairs hold nothing undeclared.
func (v Import) Nothing() error {
	_, err := fmt.Fprintln(v.Out, "Nothing to import: every object of the pairs is declared.")
	return err
}

// Imported says how many objects were written to path and recorded in state.
func (v Import) Imported(n int, path string) error {
	_, err := fmt.Fprintf(v.Out, "Imported %d objects into %s and recorded them in state.\n", n, path)
	return err
}

// Login shows the sign-in of dwctl login.
type Login struct{ Streams }

// Prompt passes on what the sign-in asks the person to do (open a URL, enter a code).
func (v Login) Prompt(msg string) { fmt.Fprintln(v.Err, msg) }

// SignedIn names the account the session belongs to.
func (v Login) SignedIn(user, tenant string) error {
	_, err := fmt.Fprintf(v.Out, "Signed in to the dual-write gateway as %s (tenant %s).\n", user, tenant)
	return err
}

// GatewayAnswers says that the gateway accepted the session.
func (v Login) GatewayAnswers(gateway, version string) error {
	_, err := fmt.Fprintf(v.Out, "The gateway %s answers GET Version (%s).\n", gateway, version)
	return err
}

// Objects lists the objects of a state: address and identity, one per line, under a header.
func (v State) Objects(lineage string, serial uint64, rows [][2]string) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(v.Out, "The state holds no objects.")
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# state %s, serial %d\n", lineage, serial)
	for _, r := range rows {
		fmt.Fprintf(&b, "%s\t%s\n", r[0], r[1])
	}
	_, err := io.WriteString(v.Out, b.String())
	return err
}

// LockHeld describes the lock force-unlock is about to release.
func (v State) LockHeld(id, who, host string, pid int, operation string, since time.Time) {
	fmt.Fprintf(v.Err, "The lock %s is held by %s@%s (pid %d) for %q since %s.\n", id, who, host, pid, operation, since.Format(time.RFC3339))
}
