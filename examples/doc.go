// Package examples holds the example configurations (quickstart, contoso);
// its tests prove that they load without a single diagnostic, that their
// filters and number sequences pass the checks of their own packages, and
// that they are formatted as dwctl fmt writes them.
//
// It is never imported by any package.
//
// Import rule: only none
package examples
