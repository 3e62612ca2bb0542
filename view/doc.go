// Package view renders what dwctl commands produce: diagnostics, validation
// results, formatting changes, version information and emulator endpoints, as
// human-readable text or as JSON.
//
// Views are the only code that prints. Command output goes to Streams.Out (so
// -json output stays parseable); diagnostics and messages go to Streams.Err.
// Human and JSON renderings are built from the same structs (Diagnostic is the
// single JSON form of a diagnostic), so the two cannot disagree.
//
// A view never prints a value from an HCL evaluation context, never quotes a
// line of a *.dwvars file, and never quotes a source line holding a secret
// written literally (under auth, a state conn, the default of a sensitive
// variable), so sensitive values cannot leak through diagnostics. It must never import planner,
// applier, providers or emulator: commands hand it plain values.
//
// Import rule: only config
package view
