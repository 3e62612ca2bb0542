package view

import (
	"fmt"
	"io"
)

// Help prints command help and usage errors.
type Help struct {
	Streams
}

// Show prints help text the user asked for on Out.
func (h Help) Show(text string) error {
	_, err := io.WriteString(h.Out, text)
	return err
}

// UsageError prints a one-line error and then the usage text, both on Err.
func (h Help) UsageError(err error, usage string) error {
	_, werr := fmt.Fprintf(h.Err, "%s %s\n\n%s", paint(h.ErrColor, ansiBold+ansiRed, "Error:"), err, usage)
	return werr
}

// Error prints a one-line error on Err, for failures that are not about
// the command line and carry no source location.
func (h Help) Error(err error) error {
	_, werr := fmt.Fprintf(h.Err, "%s %s\n", paint(h.ErrColor, ansiBold+ansiRed, "Error:"), err)
	return werr
}
