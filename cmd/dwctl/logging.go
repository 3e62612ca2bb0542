package main

import (
	"io"
	"os"

	"github.com/dwctl/dwctl/view"
	"github.com/hashicorp/go-hclog"
)

// newLogger builds the root logger from DWCTL_LOG (the level; off when
// unset) and DWCTL_LOG_PATH (a file to append to instead of stderr). It
// returns a function that closes the log file. A bad setting is reported on
// stderr in one line and logging falls back to warn on stderr.
func newLogger(environ []string, stderr io.Writer) (hclog.Logger, func()) {
	env := func(name string) string { return lookupEnv(environ, name) }
	level := hclog.Off
	if s := env("DWCTL_LOG"); s != "" {
		level = hclog.LevelFromString(s)
		if level == hclog.NoLevel {
			view.Setup(stderr, "DWCTL_LOG=%q is not a level (trace, debug, info, warn, error, off); using warn", s)
			level = hclog.Warn
		}
	}
	out, closeFn := stderr, func() {}
	if path := env("DWCTL_LOG_PATH"); path != "" && level != hclog.Off {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			view.Setup(stderr, "cannot open DWCTL_LOG_PATH: %v; logging to stderr", err)
		} else {
			out, closeFn = f, func() { _ = f.Close() }
		}
	}
	log := hclog.New(&hclog.LoggerOptions{Name: "dwctl", Level: level, Output: out, Color: hclog.ColorOff})
	return log, closeFn
}
