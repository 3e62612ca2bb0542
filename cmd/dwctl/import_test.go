package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/config"
)

// TestImportAdoptsThePair applies the quickstart (with an alert on its
// link), then imports the pair into a configuration that declares only the
// environments and the link: the generated file has the maps' depends_on
// from the service's order, their initial syncs, the link's alert settings
// to paste, passes fmt -check, and the next plan has no changes.
func TestImportAdoptsThePair(t *testing.T) {
	t.Parallel()
	withAlert := func(_, src string) string {
		return strings.Replace(src, "  dataverse = environment.ce\n}", `  dataverse = environment.ce

  alert "outage" {
    errors     = ["application", "network"]
    threshold  = { count = 10, within = "15m" }
    action     = "pause"
    recipients = ["ops@contoso.com"]
  }
}`, 1)
	}
	applied := exampleDir(t, "quickstart", withAlert)
	if r := dwctl(t, applied, "apply", "-auto-approve"); r.status != 0 {
		t.Fatalf("apply: status %d\n%s", r.status, r.stderr)
	}
	dir := importInto(t, applied, "quickstart", "quickstart")
	out, err := os.ReadFile(filepath.Join(dir, "imported.dw.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"depends_on = [table_map.currencies_transactioncurrencies, table_map.customergroups_msdyn_customergroups]",
		"# The service ran an initial sync of this map",
		"# The alert settings of link.main.",
		`#   alert "outage" {`,
		`#     recipients = ["ops@contoso.com"]`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the imported file lacks %q:\n%s", want, out)
		}
	}
	if r := dwctl(t, dir, "fmt", "-check", "-diff"); r.status != 0 {
		t.Errorf("fmt -check of the imported file: status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctl(t, dir, "plan", "-detailed-exitcode"); r.status != 0 {
		t.Errorf("plan after import: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
}

// TestImportContoso applies examples/contoso (test stage) on the emulator,
// then imports the pair into a configuration of only its environments and
// link: for_each companies, dynamic fields, value maps, polymorphic
// lookups and dwctl-mode maps come back as configuration that passes
// fmt -check, and the next plan has no changes.
func TestImportContoso(t *testing.T) {
	t.Parallel()
	applied := exampleDir(t, "contoso", contosoOnEmulator, config.VarArg{File: true, Value: "test.dwvars"})
	if r := dwctlEnv(t, applied, contosoEnv, "apply", "-auto-approve", "-no-color", "-var-file=test.dwvars"); r.status != 0 {
		t.Fatalf("apply: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	dir := importInto(t, applied, "contoso", "contoso")
	if r := dwctl(t, dir, "fmt", "-check", "-diff"); r.status != 0 {
		t.Errorf("fmt -check of the imported file: status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctl(t, dir, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
		t.Errorf("plan after import: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
}

// importInto writes a configuration of only the environments and the link
// of the emulated pair NAME, with the given publisher, into a new
// directory, copies the pair's data there from applied, and imports it.
func importInto(t *testing.T, applied, publisher, name string) string {
	t.Helper()
	dir := t.TempDir()
	src := `dwctl {
  publisher = "` + publisher + `"
}

environment "finops" "fo" {
  url = "emulator://` + name + `"
}

environment "dataverse" "ce" {
  url = "emulator://` + name + `"
}

link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".dwctl"), 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-r", filepath.Join(applied, ".dwctl", "emulator"), filepath.Join(dir, ".dwctl")).CombinedOutput(); err != nil {
		t.Fatalf("copy the emulator's data: %v %s", err, out)
	}
	r := dwctl(t, dir, "import", "-generate-config-out=imported.dw.hcl")
	if r.status != 0 || !strings.Contains(r.stdout, "Imported") {
		t.Fatalf("import: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	return dir
}
