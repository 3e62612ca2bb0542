package view

import (
	"encoding/json"
	"io"
)

// Streams are where a view writes. Out carries only the command's output;
// Err carries diagnostics and messages meant for a person.
type Streams struct {
	Out io.Writer
	Err io.Writer
	// OutColor and ErrColor enable ANSI colour on each stream; the command
	// sets them only when the stream is a terminal and -no-color is absent.
	OutColor bool
	ErrColor bool
	// Width is the terminal width of Err, used to wrap diagnostic details;
	// 0 means do not wrap.
	Width int
}

// ANSI escape sequences used by the human views.
const (
	ansiReset     = "\x1b[0m"
	ansiBold      = "\x1b[1m"
	ansiUnderline = "\x1b[4m"
	ansiRed       = "\x1b[31m"
	ansiGreen     = "\x1b[32m"
	ansiYellow    = "\x1b[33m"
	ansiCyan      = "\x1b[36m"
)

// paint wraps s in the escape code when color is on.
func paint(color bool, code, s string) string {
	if !color || s == "" {
		return s
	}
	return code + s + ansiReset
}

// writeJSON writes v as one line of JSON followed by a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
