package main

import (
	"os"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"

	"github.com/dwctl/dwctl/providers/transport"
)

func main() {
	transport.SetVersion(versionInfo().Version)
	p := &process{
		stdin:   os.Stdin,
		stdout:  os.Stdout,
		stderr:  os.Stderr,
		outTTY:  isTerminal(os.Stdout),
		errTTY:  isTerminal(os.Stderr),
		environ: os.Environ(),
	}
	if p.errTTY {
		if w, _, err := term.GetSize(int(os.Stderr.Fd())); err == nil {
			p.width = w
		}
	}
	os.Exit(run(os.Args[1:], p))
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}
