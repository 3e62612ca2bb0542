// Command dwctl manages Dynamics 365 dual-write configuration as code: it
// validates and formats *.dw.hcl files, plans and applies them to a pair of
// environments (or the local emulator), refreshes and imports what a pair
// holds, tests maps, and manages state and sign-in. `dwctl help` lists the
// commands.
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
//
// Import rule: never providers/recording state/pgtest internal/...
package main
