package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/emulator"
)

// TestRelinkAfterDatabaseRefresh copies a linked pair with running maps
// into a second emulator, as a PROD → sandbox refresh does: the copy's
// link still belongs to production and its Dataverse refuses writes to
// tables with running maps. The plan tells the copy from the original by
// the environment identity (both are loopback hosts), explains it and
// plans the relink; one apply with -allow-destroy makes writes flow again,
// and the next plan has no changes.
func TestRelinkAfterDatabaseRefresh(t *testing.T) {
	t.Parallel()
	prod := serveEmulator(t, "", "-data", t.TempDir(), "-finops=demo", "-dataverse=existing", "-rows=3")
	dir, env := standaloneConfig(t, prod, prod.info.ControlURL)
	if r := dwctlEnv(t, dir, env, "apply", "-auto-approve", "-no-color"); r.status != 0 {
		t.Fatalf("apply on production: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	c := prod.client(t)
	copyDir := t.TempDir()
	body, _ := json.Marshal(map[string]string{"target_dir": copyDir})
	if status, answer := send(t, c, http.MethodPost, prod.info.ControlURL+emulator.ControlRefreshPath, prod.token(t, c, emulator.ControlAudience), string(body)); status != http.StatusOK {
		t.Fatalf("refresh: %d %s", status, answer)
	}
	sandbox := serveEmulator(t, "", "-data", copyDir)
	sc := sandbox.client(t)
	write := func() (int, string) {
		status, b := send(t, sc, http.MethodPost, sandbox.info.DataverseURL+"/api/data/v9.2/accounts", sandbox.token(t, sc, sandbox.info.DataverseURL), `{"name":"After the refresh"}`)
		return status, string(b)
	}
	if status, answer := write(); status != http.StatusBadRequest || !strings.Contains(answer, "SecureConfig Organization") {
		t.Fatalf("a write on the copy: %d %s, want the runtime's refusal", status, answer)
	}

	sdir, senv := standaloneConfig(t, sandbox, sandbox.info.ControlURL)
	r := dwctlEnv(t, sdir, senv, "plan", "-no-color", "-allow-destroy")
	if r.status != 0 || !strings.Contains(r.stdout, "a database was copied from another environment") || !strings.Contains(r.stdout, "-/+ link.main") || strings.Contains(r.stdout, "row counts unknown") {
		t.Fatalf("plan on the copy: status %d, want the relink explained\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctlEnv(t, sdir, senv, "apply", "-auto-approve", "-allow-destroy", "-no-color"); r.status != 0 {
		t.Fatalf("apply on the copy: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if status, answer := write(); status/100 != 2 {
		t.Errorf("a write after the relink: %d %s", status, answer)
	}
	if r := dwctlEnv(t, sdir, senv, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
		t.Errorf("plan after the relink: status %d, want no changes\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	// Production is untouched.
	if r := dwctlEnv(t, dir, env, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
		t.Errorf("plan on production: status %d, want no changes\n%s\n%s", r.status, r.stdout, r.stderr)
	}
}
