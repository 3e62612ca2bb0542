package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/connection"
	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/providers"
	"github.com/google/go-cmp/cmp"
)

// TestKilledApplyResumes kills a real dwctl apply (SIGKILL) once its
// journal holds n entries — with -parallelism=1, 6 is before any map
// exists and 14 during or just after the customers' dwctl-mode copy —,
// plans and applies again without force-unlock, and checks that both
// environments and the state end exactly as after an uninterrupted apply
// of the same configuration on the same seed.
func TestKilledApplyResumes(t *testing.T) {
	t.Parallel()
	whole := exampleDir(t, "quickstart", quickstartDwctl)
	if r := dwctl(t, whole, "apply", "-auto-approve", "-parallelism=1"); r.status != 0 {
		t.Fatalf("uninterrupted apply: status %d\n%s", r.status, r.stderr)
	}
	want := snapshot(t, whole)
	for _, n := range []int{6, 14} {
		t.Run(fmt.Sprintf("after %d entries", n), func(t *testing.T) {
			t.Parallel()
			killed := exampleDir(t, "quickstart", quickstartDwctl)
			signalAfterJournal(t, killed, n, syscall.SIGKILL)
			resume(t, killed)
			if diff := cmp.Diff(want, snapshot(t, killed)); diff != "" {
				t.Errorf("the resumed apply ends elsewhere than the uninterrupted one (-whole +resumed):\n%s", diff)
			}
		})
	}
}

// resume plans and applies again after a killed apply: its lock died with
// it, so neither needs force-unlock.
func resume(t *testing.T, dir string) {
	t.Helper()
	if r := dwctl(t, dir, "plan"); r.status != 0 {
		t.Fatalf("plan after the kill: status %d, want the lock free\n%s", r.status, r.stderr)
	}
	r := dwctl(t, dir, "apply", "-auto-approve")
	if r.status != 0 {
		t.Fatalf("apply after the kill: status %d\n%s", r.status, r.stderr)
	}
	if testing.Verbose() {
		journal, _ := os.ReadFile(filepath.Join(dir, ".dwctl", "state.json.journal"))
		t.Logf("journal:\n%s\napply after the kill:\n%s", journal, r.stderr)
	}
}

// signalAfterJournal starts dwctl apply in dir, sends it sig as soon as
// the state journal holds n entries, and returns what it wrote on stderr
// and its exit status once it ended.
func signalAfterJournal(t *testing.T, dir string, n int, sig syscall.Signal, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(filepath.Join(binary(t), "dwctl"), append([]string{"apply", "-auto-approve", "-parallelism=1"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DWCTL_LOG=", "NO_COLOR=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	journal := filepath.Join(dir, ".dwctl", "state.json.journal")
	for {
		b, _ := os.ReadFile(journal)
		if bytes.Count(b, []byte("\n")) >= n {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("apply ended (%v) before its journal held %d entries:\n%s", err, n, stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	<-exited
	return stderr.String(), cmd.ProcessState.ExitCode()
}

// snapshot describes what an apply leaves, without what differs between
// two runs anyway (ids, versions, times, the state's lineage and serial):
// the state's objects and the mapped rows of both environments.
func snapshot(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{"state": stateObjects(t, dir)}
	cfg, diags := config.Load(dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	ctx := context.Background()
	conns, err := connection.Open(ctx, cfg, connection.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer conns.Close()
	p := conns.Pairs["main"]
	tables := []struct {
		rs   providers.RowReader
		set  string
		cols []string
		all  bool
	}{
		{p.Dataverse, "accounts", []string{"accountnumber", "name", "emailaddress1", "telephone1", "creditlimit", "msdyn_onholdstatus", "customertypecode"}, false},
		{p.Dataverse, "contacts", []string{"lastname", "firstname", "address1_country", "_msdyn_company_value"}, false},
		{p.Dataverse, "transactioncurrencies", []string{"isocurrencycode", "currencyname", "currencysymbol"}, false},
		{p.Dataverse, "msdyn_customergroups", []string{"msdyn_groupid", "msdyn_description"}, false},
		{p.FinOps, "CustomersV3", []string{"dataAreaId", "CustomerAccount", "OrganizationName", "CustomerGroupId", "SalesCurrencyCode"}, true},
	}
	for _, tb := range tables {
		out[tb.set] = rows(t, ctx, tb.rs, tb.set, tb.cols, tb.all)
	}
	return out
}

// rows lists a table's rows as sorted lines of the given columns; a
// lookup id is shown only as set or not.
func rows(t *testing.T, ctx context.Context, rs providers.RowReader, set string, cols []string, all bool) []string {
	t.Helper()
	var out []string
	err := rs.ListRows(ctx, set, providers.Query{Select: cols, AllCompanies: all}, func(page []providers.Row) error {
		for _, r := range page {
			var parts []string
			for _, c := range cols {
				v := mapping.Text(r[c])
				if strings.HasPrefix(c, "_") {
					v = fmt.Sprint(v != "")
				}
				parts = append(parts, c+"="+v)
			}
			out = append(out, strings.Join(parts, " "))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// stateObjects lists the state's objects with identity, fingerprint and
// attributes, and its checkpoints.
func stateObjects(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ".dwctl", "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Objects     map[string]json.RawMessage `json:"objects"`
		Checkpoints map[string]json.RawMessage `json:"checkpoints"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	var out []string
	for addr, o := range st.Objects {
		out = append(out, addr+" "+string(o))
	}
	for addr, c := range st.Checkpoints {
		out = append(out, "checkpoint "+addr+" "+string(c))
	}
	slices.Sort(out)
	return out
}

// TestInterruptedApplyResumes sends SIGINT to a real dwctl apply: it starts
// nothing new, finishes what runs, reports what did not start, releases
// the lock and exits 1; the next apply finishes the work. With -json every
// line on stdout is one event.
func TestInterruptedApplyResumes(t *testing.T) {
	t.Parallel()
	dir := exampleDir(t, "quickstart", quickstartDwctl)
	stderr, status := signalAfterJournal(t, dir, 3, syscall.SIGINT)
	if status != 1 || !strings.Contains(stderr, "Not started:") {
		t.Fatalf("interrupted apply: status %d, want 1 and a report of what did not start\n%s", status, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".dwctl", "state.json.lock")); !os.IsNotExist(err) {
		t.Fatalf("the interrupted apply left its lock (%v)", err)
	}
	r := dwctl(t, dir, "apply", "-auto-approve", "-json")
	if r.status != 0 {
		t.Fatalf("apply after the interrupt: status %d\n%s", r.status, r.stderr)
	}
	var types []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var e struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil || e.Type == "" {
			t.Fatalf("-json line %q is not an event: %v", line, err)
		}
		types = append(types, e.Type)
	}
	if types[0] != "apply_start" || types[len(types)-1] != "apply_done" {
		t.Errorf("events %v, want apply_start first and apply_done last", types)
	}
	if r := dwctl(t, dir, "plan", "-detailed-exitcode"); r.status != 0 {
		t.Fatalf("plan after the resumed apply: status %d\n%s", r.status, r.stdout)
	}
	if r := dwctl(t, dir, "state", "list"); !strings.Contains(r.stdout, "table_map.customers\n") {
		t.Errorf("state list does not list table_map.customers:\n%s", r.stdout)
	}
	if r := dwctl(t, dir, "state", "show", "table_map.customers"); !strings.Contains(r.stdout, `"fingerprint": "sha256:`) {
		t.Errorf("state show has no fingerprint:\n%s%s", r.stdout, r.stderr)
	}
	if r := dwctl(t, dir, "state", "rm", "table_map.customers"); r.status != 0 || r.stdout != "Removed table_map.customers\n" {
		t.Errorf("state rm: status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctl(t, dir, "state", "show", "table_map.customers"); r.status != 1 || !strings.Contains(r.stderr, "no object or checkpoint") {
		t.Errorf("state show of a removed object: status %d\n%s", r.status, r.stderr)
	}
	if r := dwctl(t, dir, "force-unlock", "-force", "0b6c1b54-0000-4000-8000-000000000000"); r.status != 1 || !strings.Contains(r.stderr, "not locked") {
		t.Errorf("force-unlock of an unlocked state: status %d\n%s", r.status, r.stderr)
	}
}
