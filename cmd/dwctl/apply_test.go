package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/connection"
	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/state"
)

// exampleDir copies an example's configuration into a temporary directory,
// with edit applied to each file, and seeds its emulated pair with the F&O
// demo data plus the legal entities the example names that the demo lacks.
func exampleDir(t *testing.T, example string, edit func(name, src string) string, vars ...config.VarArg) string {
	t.Helper()
	return exampleDirRows(t, example, edit, 4, vars...)
}

// exampleDirRows is exampleDir with rows rows per seeded table.
func exampleDirRows(t *testing.T, example string, edit func(name, src string) string, rows int, vars ...config.VarArg) string {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", example, "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		if edit != nil {
			src = edit(filepath.Base(f), src)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for i := range vars {
		if vars[i].File {
			vars[i].Value = filepath.Join(dir, vars[i].Value)
		}
	}
	// Contoso's bootstrapped accounts have no customer group, so its
	// customers copy could not create them in F&O: its Dataverse starts empty.
	seed := "existing"
	if example == "contoso" {
		seed = "empty"
	}
	seedEmulator(t, dir, vars, seed, rows)
	return dir
}

// seedEmulator starts the example's emulators once with demo data and
// creates the missing legal entities, then stops them: their data stays
// under .dwctl/emulator for the dwctl processes the test runs.
func seedEmulator(t *testing.T, dir string, vars []config.VarArg, dataverse string, rows int) {
	t.Helper()
	cfg, diags := config.Load(dir, config.LoadOptions{Vars: vars, Environ: contosoEnv})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	ctx := context.Background()
	conns, err := connection.Open(ctx, cfg, connection.Options{Dir: dir,
		Emulator: emulator.Options{FinOps: "demo", Dataverse: dataverse, Rows: rows}})
	if err != nil {
		t.Fatal(err)
	}
	defer conns.Close()
	for _, c := range cfg.Companies {
		fo := conns.Pairs[c.Link.Name].FinOps
		have, err := fo.LegalEntities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if hasCompany(have, c.ID) {
			continue
		}
		res, err := fo.WriteRows(ctx, "LegalEntities", []providers.Write{{Kind: providers.Create,
			Row: providers.Row{"LegalEntityId": c.ID, "Name": c.Name}}}, providers.BatchOptions{})
		if err != nil || res[0].Err != nil {
			t.Fatalf("create legal entity %s: %v %v", c.ID, err, res)
		}
	}
}

func hasCompany(cs []providers.Company, code string) bool {
	for _, c := range cs {
		if strings.EqualFold(c.Code, code) {
			return true
		}
	}
	return false
}

// contosoEnv sets the contoso example's sensitive variables (the emulator
// ignores the sign-in they make).
var contosoEnv = []string{"DWCTL_VAR_client_secret=" + secretValue,
	"DWCTL_VAR_tenant_id=72f988bf-0000-4000-8000-00000000c0de", "DWCTL_VAR_client_id=9c4f6e21-7a3b-4d8e-8f10-00000000007e"}

// contosoOnEmulator points the contoso example's environments at the
// embedded emulator.
func contosoOnEmulator(name, src string) string {
	return regexp.MustCompile(`url = "https://[^"]*"`).ReplaceAllString(src, `url = "emulator://contoso"`)
}

// TestApplyContosoConverges applies the contoso example on the emulator
// (bootstrap, dwctl- and service-mode initial syncs, number sequences, a
// sensitive client secret set): the next plan has no changes and no state
// file holds the secret.
func TestApplyContosoConverges(t *testing.T) {
	t.Parallel()
	dir := exampleDir(t, "contoso", contosoOnEmulator, config.VarArg{File: true, Value: "test.dwvars"})
	if r := dwctlEnv(t, dir, contosoEnv, "apply", "-auto-approve", "-var-file=test.dwvars"); r.status != 0 {
		t.Fatalf("apply: status %d\n%s", r.status, r.stderr)
	}
	if r := dwctlEnv(t, dir, contosoEnv, "plan", "-detailed-exitcode", "-var-file=test.dwvars"); r.status != 0 {
		t.Fatalf("plan after apply: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, ".dwctl", "*.state.json*"))
	if len(files) < 2 {
		t.Fatalf("want the state and its journal, found %v", files)
	}
	for _, f := range files {
		if b, _ := os.ReadFile(f); strings.Contains(string(b), secretValue) {
			t.Errorf("%s contains the client secret", filepath.Base(f))
		}
	}
}

// TestApplyQuickstartConverges applies the quickstart: without a terminal
// apply wants -auto-approve; a held lock fails it fast, naming the holder,
// or after -lock-timeout; then it applies, the next plan has no changes,
// refresh records the same objects, and the state file is private.
func TestApplyQuickstartConverges(t *testing.T) {
	t.Parallel()
	dir := exampleDir(t, "quickstart", nil)
	if r := dwctl(t, dir, "apply"); r.status != 1 || !strings.Contains(r.stderr, "-auto-approve") {
		t.Fatalf("apply without a terminal: status %d, want 1 and a hint at -auto-approve\n%s", r.status, r.stderr)
	}
	holdLock(t, dir, func() {
		if r := dwctl(t, dir, "apply", "-auto-approve"); r.status != 1 || !strings.Contains(r.stderr, `for "test holder"`) {
			t.Errorf("apply under a held lock: status %d, want 1 naming the holder\n%s", r.status, r.stderr)
		}
		r := dwctl(t, dir, "apply", "-auto-approve", "-lock-timeout=200ms")
		if r.status != 1 || !strings.Contains(r.stderr, "Waiting up to 200ms") || !strings.Contains(r.stderr, `for "test holder"`) {
			t.Errorf("apply -lock-timeout under a held lock: status %d, want 1 after waiting\n%s", r.status, r.stderr)
		}
	})
	r := dwctl(t, dir, "apply", "-auto-approve")
	if r.status != 0 {
		t.Fatalf("apply: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	r = dwctl(t, dir, "plan", "-detailed-exitcode")
	if r.status != 0 {
		t.Fatalf("plan after apply: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	before := dwctl(t, dir, "state", "list").stdout
	if r := dwctl(t, dir, "refresh"); r.status != 0 || !strings.Contains(r.stdout, "State refreshed: 9 managed objects, 0 changed") {
		t.Fatalf("refresh: status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	if after := dwctl(t, dir, "state", "list").stdout; after != before {
		t.Errorf("refresh changed the managed objects:\n%s\nthen\n%s", before, after)
	}
	info, err := os.Stat(filepath.Join(dir, ".dwctl", "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("state file mode %o, want 600", perm)
	}
}

// holdLock holds the state lock of dir, as operation "test holder", while
// f runs.
func holdLock(t *testing.T, dir string, f func()) {
	t.Helper()
	b := state.NewLocal(filepath.Join(dir, ".dwctl", "state.json"))
	defer b.Close()
	id, err := b.Lock(context.Background(), state.LockInfo{Operation: "test holder"})
	if err != nil {
		t.Fatal(err)
	}
	f()
	if err := b.Unlock(context.Background(), id); err != nil {
		t.Fatal(err)
	}
}

// quickstartDwctl makes the quickstart copy its customers itself (mode
// "dwctl") and bootstrap USMF's existing contacts (accounts without a
// customer group could not be created in F&O).
func quickstartDwctl(name, src string) string {
	src = strings.Replace(src, "    master  = \"finops\"\n  }\n\n  filter {", "    master  = \"finops\"\n    mode    = \"dwctl\"\n  }\n\n  filter {", 1)
	return strings.Replace(src, "  name = \"Contoso Entertainment System USA\"\n",
		"  name = \"Contoso Entertainment System USA\"\n  bootstrap {\n    tables = [\"contact\"]\n    where  = \"address1_country eq 'USA'\"\n  }\n", 1)
}

// TestApplyDwctlModeConverges bootstraps company-less accounts and copies
// customers in mode "dwctl"; the plan after it has no changes.
func TestApplyDwctlModeConverges(t *testing.T) {
	t.Parallel()
	dir := exampleDir(t, "quickstart", quickstartDwctl)
	r := dwctl(t, dir, "apply", "-auto-approve")
	if r.status != 0 {
		t.Fatalf("apply: status %d\n%s", r.status, r.stderr)
	}
	r = dwctl(t, dir, "plan", "-detailed-exitcode")
	if r.status != 0 {
		t.Fatalf("plan after apply: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
}

// secretValue is the client secret the secrets test sets.
const secretValue = "Sup3r-Secret-Value-0451"

// quickstartWithSecret gives the quickstart's environments a sign-in from
// a sensitive variable (the emulator ignores it).
func quickstartWithSecret(name, src string) string {
	src = strings.Replace(src, "dwctl {", "variable \"client_secret\" {\n  type      = string\n  sensitive = true\n}\n\ndwctl {", 1)
	auth := "  auth {\n    method        = \"client_secret\"\n    tenant_id     = \"72f988bf-0000-4000-8000-00000000c0de\"\n    client_id     = \"9c4f6e21-7a3b-4d8e-8f10-00000000007e\"\n    client_secret = var.client_secret\n  }\n"
	return strings.ReplaceAll(src, "  url = \"emulator://quickstart\"\n", "  url = \"emulator://quickstart\"\n"+auth)
}

// TestSavedPlansAndSecrets applies a saved plan, refuses a second one
// made from the same state once the state moved on (naming why), and
// finds the sensitive value in none of the state files, which are private.
func TestSavedPlansAndSecrets(t *testing.T) {
	t.Parallel()
	dir := exampleDir(t, "quickstart", quickstartWithSecret, config.VarArg{Value: "client_secret=" + secretValue})
	env := []string{"DWCTL_VAR_client_secret=" + secretValue}
	for _, f := range []string{"a.dwplan", "b.dwplan"} {
		if r := dwctlEnv(t, dir, env, "plan", "-out="+f); r.status != 0 {
			t.Fatalf("plan -out=%s: status %d\n%s", f, r.status, r.stderr)
		}
	}
	// One byte of an action changed: show and apply refuse the plan.
	saved, err := os.ReadFile(filepath.Join(dir, "a.dwplan"))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(saved), `"address": "company.USMF"`) + len(`"address": "company.`)
	edited := append(append(append([]byte(nil), saved[:i]...), 'X'), saved[i+1:]...)
	if err := os.WriteFile(filepath.Join(dir, "edited.dwplan"), edited, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"show", "apply"} {
		if r := dwctlEnv(t, dir, env, cmd, "edited.dwplan"); r.status == 0 || !strings.Contains(r.stderr, "changed after dwctl wrote it") {
			t.Fatalf("%s of an edited plan: status %d, want a refusal\n%s", cmd, r.status, r.stderr)
		}
	}
	if r := dwctlEnv(t, dir, env, "apply", "a.dwplan"); r.status != 0 {
		t.Fatalf("apply a.dwplan: status %d\n%s", r.status, r.stderr)
	}
	r := dwctlEnv(t, dir, env, "apply", "b.dwplan")
	if r.status == 0 || !strings.Contains(r.stderr, "stale") || !strings.Contains(r.stderr, "link.main was created meanwhile") {
		t.Fatalf("apply of a stale plan: status %d, want a refusal naming what changed\n%s", r.status, r.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, ".dwctl", "state.json*"))
	files = append(files, filepath.Join(dir, "a.dwplan"))
	if len(files) < 3 {
		t.Fatalf("expected the state, its journal and a plan, found %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), secretValue) {
			t.Errorf("%s contains the sensitive value", filepath.Base(f))
		}
		if info, _ := os.Stat(f); info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %o, want 600", filepath.Base(f), info.Mode().Perm())
		}
	}
}

// dwctlEnv runs the binary in dir with extra environment variables.
func dwctlEnv(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(filepath.Join(binary(t), "dwctl"), args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "DWCTL_LOG=", "NO_COLOR="), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		r.status = exitErr.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return r
}

func TestOnlySensitiveVars(t *testing.T) {
	saved := &planner.Saved{Sensitive: []string{"client_secret"},
		Variables: map[string]json.RawMessage{"stage": json.RawMessage(`"prod"`), "retries": json.RawMessage(`3`)}}
	dir := t.TempDir()
	file := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := map[string]struct {
		vars    []config.VarArg
		wantErr string
	}{
		"none":             {},
		"sensitive":        {vars: []config.VarArg{{Value: "client_secret=x"}}},
		"another variable": {vars: []config.VarArg{{Value: "stage=prod"}}, wantErr: "-var stage cannot be used with a plan file"},
		"the stage's file": {vars: []config.VarArg{{File: true, Value: file("same.dwvars", "stage = \"prod\"\nretries = \"3\"\nclient_secret = \"s\"\n")}}},
		"another value":    {vars: []config.VarArg{{File: true, Value: file("other.dwvars", "stage = \"test\"\n")}}, wantErr: "sets stage to another value than the plan was made with"},
		"an unknown name":  {vars: []config.VarArg{{File: true, Value: file("new.dwvars", "region = \"weu\"\n")}}, wantErr: "sets region, which the plan was made without"},
		"a missing file":   {vars: []config.VarArg{{File: true, Value: filepath.Join(dir, "none.dwvars")}}, wantErr: "none.dwvars"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := onlySensitiveVars(saved, tc.vars)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if (tc.wantErr == "") != (got == "") || !strings.Contains(got, tc.wantErr) {
				t.Errorf("error %q, want one containing %q", got, tc.wantErr)
			}
			if strings.Contains(got, `"s"`) {
				t.Errorf("the error shows a sensitive value: %s", got)
			}
		})
	}
}
