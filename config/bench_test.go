package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// generateLarge writes a configuration of maps table maps with fields
// fields each, one integration key per table, into dir.
func generateLarge(tb testing.TB, dir string, maps, fields int) {
	tb.Helper()
	var b strings.Builder
	b.WriteString(`environment "finops" "fo" { url = "https://fo.example.com" }
environment "dataverse" "ce" { url = "https://ce.example.com" }
link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
company "USMF" { name = "Contoso USA" }
`)
	for i := range maps {
		fmt.Fprintf(&b, "integration_key \"tab%d\" { columns = [\"col0\", \"msdyn_company.cdm_companycode\"] }\n", i)
		fmt.Fprintf(&b, "table_map \"m%d\" {\n  finops    = \"Entity%d\"\n  dataverse = \"tab%ds\"\n", i, i, i)
		if i > 0 {
			fmt.Fprintf(&b, "  depends_on = [table_map.m%d]\n", i-1)
		}
		fmt.Fprintf(&b, "  filter {\n    finops    = \"((Field0 != \\\"%d\\\"))\"\n    dataverse = \"col1 ne %d\"\n  }\n", i, i)
		for j := range fields {
			fmt.Fprintf(&b, "  field \"FIELD%d\" \"col%d\" {}\n", j, j)
		}
		b.WriteString("}\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "large.dw.hcl"), []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkLoadLarge loads 500 table maps × 30 fields.
func BenchmarkLoadLarge(b *testing.B) {
	dir := b.TempDir()
	generateLarge(b, dir, 500, 30)
	b.ResetTimer()
	for b.Loop() {
		cfg, diags := Load(dir, LoadOptions{})
		if diags.HasErrors() || len(cfg.TableMaps) != 500 {
			b.Fatalf("%d maps, %s", len(cfg.TableMaps), diags.Error())
		}
	}
}

// TestLoadLarge checks that the generated configuration is valid, so the
// benchmark measures a clean load.
func TestLoadLarge(t *testing.T) {
	dir := t.TempDir()
	generateLarge(t, dir, 50, 30)
	cfg, diags := Load(dir, LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if got := len(cfg.Graph.Dependencies("table_map.m49")); got != 3 {
		t.Errorf("table_map.m49 has %d dependencies, want 3 (link, key, m48): %v", got, cfg.Graph.Dependencies("table_map.m49"))
	}
}
