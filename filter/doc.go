// Package filter implements the two filter languages of a dual-write table
// map — the Dataverse OData $filter subset and the F&O X++ query-range
// expression — and the F&O OData $filter dialect the F&O data API accepts.
//
// For each language it offers a lexer and parser to an AST carrying byte
// positions, a canonical printer (Expr.String), a validator whose findings
// are Diagnostics pointing at the exact offending bytes, and an evaluator
// (Expr.Eval) over a Row with the semantics of the service: SQL-style
// three-valued logic (a NULL never matches a comparison), case-insensitive
// string comparison, Dataverse LIKE wildcards inside contains/startswith/
// endswith, F&O like patterns with * and ?, enum literals and F&O dates.
//
// Entry points:
//
//   - ParseDataverse: a dual-write Dataverse filter ("dual-write filter
//     mode"). Navigation paths, lambda operators, Dataverse query functions,
//     in and has are errors, as the dual-write service rejects them.
//   - ParseWebAPI: a $filter as the Dataverse Web API receives it ("Web API
//     mode"). Navigation paths are accepted and evaluated by asking the Row
//     for the joined path ("primarycontactid/fullname"); everything else
//     follows the dual-write rules.
//   - ParseFinOps: an F&O query-range expression of a table map.
//   - ParseFinOpsOData: a $filter as the F&O OData endpoint (/data/)
//     receives it: OData syntax, '*' wildcards in string equality, enum
//     literals Namespace.Type'Value', no contains().
//
// The package is pure: it does no I/O and imports nothing from dwctl; in
// particular it must never import config, planner, providers or emulator.
package filter
