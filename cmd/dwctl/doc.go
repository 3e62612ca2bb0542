// Command dwctl manages Dynamics 365 dual-write configuration as code: it
// validates and formats *.dw.hcl files and runs the local emulator of the
// services they describe.
//
// Every command is split three ways: its flags are parsed into a typed
// arguments struct, an operation (config, formatting, the emulator) runs on
// those arguments, and a view from package view does all printing. Command
// output goes to stdout, so -json output stays parseable; diagnostics,
// messages and logs go to stderr.
//
// The command table (commands.go) lists only commands that work; adding a
// command is one entry there plus its args/run pair. This package is the only
// place that knows all the parts; no other package imports it.
package main
