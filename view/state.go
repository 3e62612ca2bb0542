package view

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// State shows the state commands' results: addresses and records on Out,
// notes for a person on Err.
type State struct {
	Streams
	JSON bool
}

// List prints the managed addresses, one per line, or a JSON array.
func (v State) List(addrs []string) error {
	if v.JSON {
		if addrs == nil {
			addrs = []string{}
		}
		return writeJSON(v.Out, addrs)
	}
	if len(addrs) == 0 {
		_, err := fmt.Fprintln(v.Err, "The state manages no objects.")
		return err
	}
	_, err := fmt.Fprintln(v.Out, strings.Join(addrs, "\n"))
	return err
}

// Show prints one record (already JSON) indented, or as one JSON line.
func (v State) Show(record []byte) error {
	var b bytes.Buffer
	if v.JSON {
		if err := json.Compact(&b, record); err != nil {
			return err
		}
	} else if err := json.Indent(&b, record, "", "  "); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err := v.Out.Write(b.Bytes())
	return err
}

// Removed notes the addresses removed from state and the new serial.
func (v State) Removed(addrs []string, serial uint64) error {
	for _, a := range addrs {
		if _, err := fmt.Fprintf(v.Out, "Removed %s\n", a); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(v.Err, "%s removed from state; the environments were not changed (state serial %d).\n", plural(len(addrs), "object"), serial)
	return err
}

// Unlocked notes a force-unlock.
func (v State) Unlocked(id string) error {
	_, err := fmt.Fprintf(v.Out, "The state lock %s was released.\n", id)
	return err
}

// Refreshed notes a refresh: how many objects state records and drifted.
func (v State) Refreshed(objects, drifted int, serial uint64) error {
	_, err := fmt.Fprintf(v.Out, "State refreshed: %s, %d changed outside dwctl and now accepted; state serial %d.\n",
		plural(objects, "managed object"), drifted, serial)
	return err
}

// Waiting notes that the state lock is held and the command waits for it.
func (v State) Waiting(holder string, timeout string) error {
	_, err := fmt.Fprintf(v.Err, "Waiting up to %s for the state lock: %s\n", timeout, holder)
	return err
}

// plural writes a count with its noun, in the singular for one ("1 object",
// "9 managed objects").
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
