// Package recording serves recorded HTTP exchanges over TLS for the tests
// of the provider clients: the edge cases the emulator does not produce.
// Each test lists the requests it expects, in order, and the answers; any
// other request fails the test.
//
// It is for tests only: non-test code must never import it. It imports
// nothing of dwctl.
//
// Import rule: only none
package recording
