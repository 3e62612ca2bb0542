// Package pgtest runs a throwaway PostgreSQL server for tests: a fresh
// cluster (initdb) in a temp directory, served by a postgres process on a
// free loopback port, stopped and removed when the tests end.
//
// The server runs as a child of the test process with a parent-death signal,
// so it dies with the test binary even when a test panics or times out; the
// directory such a crash leaves behind is removed by the next Start. When
// running as root (CI), the cluster runs as the "postgres" user, because
// PostgreSQL refuses to run as root. When the PostgreSQL binaries are missing
// and the process is root on Debian, Start installs them with
// `apt-get install -y postgresql`.
//
// Tests that use it never skip: if the server cannot start, they fail.
//
// pgtest is for tests only. It must never be imported by non-test code, and
// imports nothing of dwctl.
//
// Import rule: only none
package pgtest
