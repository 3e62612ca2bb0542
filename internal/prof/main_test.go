package prof

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/config"
)

func TestLoad(t *testing.T) { load(t, false) }

func TestLoadSplit(t *testing.T) { load(t, true) }

func load(t *testing.T, split bool) {
	dir := t.TempDir()
	var src strings.Builder
	src.WriteString(`environment "finops" "fo" { url = "emulator://large" }
environment "dataverse" "ce" { url = "emulator://large" }
link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
`)
	for i := range 5000 {
		fmt.Fprintf(&src, "table_map \"m%d\" {\n  link      = link.main\n  finops    = \"CustomersV3\"\n  dataverse = \"accounts\"\n  state     = \"stopped\"\n", i)
		fmt.Fprintf(&src, "  filter { finops = \"((CustomerAccount == \\\"B%05d\\\"))\" }\n", i)
		for f := range 30 {
			fmt.Fprintf(&src, "  field \"FIELD%02d\" \"column%02d\" {}\n", f, f)
		}
		src.WriteString("}\n")
		if split {
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("m%05d.dw.hcl", i)), []byte(src.String()), 0o600)
			src.Reset()
		}
	}
	os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src.String()), 0o600)
	cfg, diags := config.Load(dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	_ = cfg
}

func TestMain(m *testing.M) {
	code := m.Run()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("sys %d MiB, total alloc %d MiB\n", ms.Sys>>20, ms.TotalAlloc>>20)
	os.Exit(code)
}
