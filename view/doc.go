// Package view renders what dwctl commands produce: plans (text for
// terminals and logs, colour only when asked; Markdown for pull requests,
// split below MarkdownLimit; JSON, docs/json-format.md; DOT for Graphviz),
// diagnostics, validation results, formatting changes, map tests, version
// information and emulator endpoints.
//
// Views are the only code that prints. Command output goes to Streams.Out (so
// -json output stays parseable); diagnostics and messages go to Streams.Err.
// Human and JSON renderings are built from the same structs (Diagnostic is the
// single JSON form of a diagnostic), so the two cannot disagree.
//
// A view never prints a value from an HCL evaluation context, never quotes a
// line of a *.dwvars file, and never quotes a source line holding a secret
// written literally (under auth, a state conn, the default of a sensitive
// variable), so sensitive values cannot leak through diagnostics. Plans are
// rendered from what the planner redacted (Attributes.Tree, RedactedParams).
// It must never import the applier, a provider implementation or the
// emulator: it renders values, it does not fetch them.
//
// Import rule: only addrs config planner providers
package view
