package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// testVersion is the version stamped into the test binary with -ldflags.
const testVersion = "0.1.0-test"

// The dwctl binary is built once per test run, on first use, into a
// directory TestMain removes at the end.
var (
	binOnce  sync.Once
	binDir   string
	binErr   error
	tempRoot string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dwctl-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tempRoot = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// binary returns the directory holding the built dwctl, building it the
// first time.
func binary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binErr = buildBinary(tempRoot)
		binDir = tempRoot
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binDir
}

// buildBinary builds ./cmd/dwctl into dir, the way make build does.
func buildBinary(dir string) error {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out := filepath.Join(dir, "dwctl")
	cmd := exec.Command(goTool, "build", "-o", out, "-ldflags", "-X main.version="+testVersion, ".")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building dwctl: %v\n%s", err, b)
	}
	return nil
}

// TestScripts runs testdata/scripts/*.txtar against the real binary.
func TestScripts(t *testing.T) {
	bin := binary(t)
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "scripts"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", bin+string(os.PathListSeparator)+env.Getenv("PATH"))
			env.Setenv("DWCTL_LOG", "")
			env.Setenv("NO_COLOR", "")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": cmdExits,
		},
	})
}

// cmdExits runs a program and checks its exit status:
//
//	exits 3 dwctl fmt -check
//
// stdout and stderr can then be checked as after exec.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits STATUS PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("exits: %v", err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}
