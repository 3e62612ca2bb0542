package pgtest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"
)

// Main is the body of a TestMain that needs a server: it starts one, hands
// it to use, runs the tests, stops the server and returns the exit code for
// os.Exit. If the server cannot start, no test runs and the code is 1: the
// tests fail loudly rather than skip, in CI (CI=true) and everywhere else.
//
// A fuzzing worker process runs only the fuzz target, so Main starts no
// server there and use is not called.
func Main(m *testing.M, use func(*Server)) int {
	flag.Parse()
	if f := flag.Lookup("test.fuzzworker"); f != nil && f.Value.String() == "true" {
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv, err := Start(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: cannot start the PostgreSQL test server (CI=%q): %v\n", os.Getenv("CI"), err)
		return 1
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stopping the server: %v\n", err)
		}
	}()
	use(srv)
	return m.Run()
}
