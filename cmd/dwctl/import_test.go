package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportAdoptsThePair applies the quickstart, then imports the pair
// into a configuration that declares only the environments and the link:
// the generated file passes fmt -check and the next plan has no changes.
func TestImportAdoptsThePair(t *testing.T) {
	t.Parallel()
	applied := exampleDir(t, "quickstart", nil)
	if r := dwctl(t, applied, "apply", "-auto-approve"); r.status != 0 {
		t.Fatalf("apply: status %d\n%s", r.status, r.stderr)
	}
	dir := t.TempDir()
	src := `dwctl {
  publisher = "quickstart"
}

environment "finops" "fo" {
  url = "emulator://quickstart"
}

environment "dataverse" "ce" {
  url = "emulator://quickstart"
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
	if r := dwctl(t, dir, "fmt", "-check", "-diff"); r.status != 0 {
		t.Errorf("fmt -check of the imported file: status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctl(t, dir, "plan", "-detailed-exitcode"); r.status != 0 {
		t.Errorf("plan after import: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
}
