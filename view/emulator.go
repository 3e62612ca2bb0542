package view

import "fmt"

// EmulatorEndpoints are the URLs of a running emulator, for the note to a
// person; they never include credentials.
type EmulatorEndpoints struct {
	Dataverse string
	FinOps    string
	Authority string
	Control   string
}

// Emulator shows the lifecycle of dwctl emulator serve.
type Emulator struct {
	Streams
}

// Ready prints the emulator's connection details as exactly one JSON line
// on Out (scripts read it), and a short note with the endpoints on Err.
func (v Emulator) Ready(details any, ep EmulatorEndpoints) error {
	if err := writeJSON(v.Out, details); err != nil {
		return err
	}
	_, err := fmt.Fprintf(v.Err, "%s\n  Dataverse: %s\n  F&O:       %s\n  Authority: %s\n  Control:   %s\nPress Ctrl-C to stop.\n",
		paint(v.ErrColor, ansiBold+ansiGreen, "Emulator ready."), ep.Dataverse, ep.FinOps, ep.Authority, ep.Control)
	return err
}

// Stopping notes that a signal arrived and the emulator is shutting down.
func (v Emulator) Stopping() error {
	_, err := fmt.Fprintln(v.Err, "Stopping the emulator...")
	return err
}
