// Package layering checks the import rules the package comments state. Every package of the module
// ends its package comment with one rule line:
//
//	Import rule: never P1 P2 ...   none of the module's packages matching P1, P2, ... may be among
//	                               the package's dependencies, direct or indirect
//	Import rule: only P1 P2 ...    the package imports no module package but those matching P1, P2, ...
//	                               ("only none": it imports nothing of the module)
//
// Patterns are module-relative import paths; a trailing /... also matches everything below, and
// "..." alone matches every package of the module. TestImportRules (run by make lint and make test)
// reads every package's comment with go list and fails on a package without a rule or a rule
// broken.
//
// Import rule: only none
package layering
