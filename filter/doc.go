// Package filter implements the two filter languages of a dual-write table
// map — the Dataverse OData $filter subset and the F&O X++ query-range
// expression — and the F&O OData $filter dialect the F&O data API accepts.
//
// For each language it offers a lexer and parser to an AST carrying byte
// positions, a canonical printer (Expr.String), a validator whose findings
// are Diagnostics pointing at the exact offending bytes, and an evaluator
// (Expr.Eval) over a Row with the semantics of the service: SQL-style
// three-valued logic (a NULL never matches a comparison), case-insensitive
// string comparison, Dataverse LIKE wildcards inside contains, startswith
// and endswith, F&O like patterns with * and ?, enum literals and F&O dates.
//
// Canonical forms: OData with single spaces, lowercase keywords and
// parentheses only around an or inside an and (and the reverse) and after
// not; X++ with every comparison, negation and &&/|| group in exactly one
// pair of parentheses, which also wraps the whole expression. Parsing the
// canonical form gives the same tree (the fuzz targets check this).
//
// Entry points:
//
//   - ParseDataverse: a dual-write Dataverse filter ("dual-write filter
//     mode"). Navigation paths, lambda operators, Dataverse query functions,
//     in and has are errors, as the dual-write service rejects them.
//   - ParseWebAPI: a $filter as the Dataverse Web API receives it ("Web API
//     mode"). Navigation paths are accepted and evaluated by asking the Row
//     for the joined path ("primarycontactid/fullname"), and the query
//     functions Microsoft.Dynamics.CRM.In, NotIn, Between and NotBetween;
//     everything else follows the dual-write rules.
//   - ParseFinOps: an F&O query-range expression of a table map.
//   - ParseFinOpsOData: a $filter as the F&O OData endpoint (/data/)
//     receives it: OData syntax, '*' wildcards in string equality, enum
//     literals Namespace.Type'Value', no contains().
//
// Semantics, with the confidence of each rule ([D] documented, [O] observed,
// [I] inferred, [U] unknown):
//
//   - Both services run filters as SQL: a comparison with a NULL column is
//     unknown, "not unknown" is unknown, and a row passes only when the
//     filter is true; so ne and != never match NULL either [I]. OData
//     "eq null"/"ne null" test for NULL [D]. A column the Row does not have
//     is NULL.
//   - Text compares case-insensitively [D] and ignoring trailing spaces, as
//     SQL Server's default collation does [I]. Text is converted when the
//     other side is a number, date or boolean (the published filters quote
//     option values and dates: AccountType eq '3') [I].
//   - contains/startswith/endswith keep SQL LIKE wildcards (% _ [..] [^..])
//     in their argument [D]; a leading % in startswith or trailing % in
//     endswith is an error [D]. F&O like uses * and ? [D].
//   - F&O enums compare by value name with text and Type::Value literals,
//     and by integer through EnumRow (NoYes is built in) [D for the syntax,
//     I for the conversion]. X++ dates d\m\yyyy and unquoted ISO date-times
//     are midnight/instants in UTC [I].
//   - OData keywords and function names written in capitals are accepted
//     with a warning and a lowercase rewrite [U: whether Dataverse accepts
//     them]; capitals in a dual-write column name draw a warning, since
//     logical names are lowercase [D].
//   - X++: a single =, a missing outer pair of parentheses, a sub-expression
//     of && or || without its own parentheses and single-quoted strings are
//     accepted with a warning carrying the canonical rewrite (Microsoft
//     publishes the first two) [D]; (Field == "") warns that NULL rows are not
//     matched [D]. Backslash escapes in X++ strings are [I].
//
// Not supported (reported as errors naming the construct): navigation paths
// (except in Web API mode), any/all, Microsoft.Dynamics.CRM.* query
// functions (except In, NotIn, Between and NotBetween in Web API mode), in,
// has, arithmetic, parameter aliases (substitute them first), other OData
// functions, X++ method calls such as SysQueryRangeUtil's DayRange().
//
// The package is pure: it does no I/O and imports nothing from dwctl; in
// particular it must never import config, planner, providers or emulator.
//
// Import rule: only none
package filter
