package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// writeDir writes files into a new temporary directory.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const stageDecl = `
variable "stage" {
  type    = string
  default = "default"
}
variable "rows" {
  type    = number
  default = 1
}
variable "owners" {
  type    = map(string)
  default = {}
}
`

func TestVariablePrecedence(t *testing.T) {
	tests := map[string]struct {
		files   map[string]string
		environ []string
		vars    []VarArg
		want    map[string]cty.Value
	}{
		"defaults": {
			want: map[string]cty.Value{"stage": cty.StringVal("default"), "rows": cty.NumberIntVal(1)},
		},
		"environment over default": {
			environ: []string{"DWCTL_VAR_stage=env", "DWCTL_VAR_rows=7", `DWCTL_VAR_owners={a = "b"}`},
			want: map[string]cty.Value{
				"stage": cty.StringVal("env"), "rows": cty.NumberIntVal(7),
				"owners": cty.MapVal(map[string]cty.Value{"a": cty.StringVal("b")}),
			},
		},
		"auto file over environment": {
			files:   map[string]string{"a.auto.dwvars": `stage = "auto"`},
			environ: []string{"DWCTL_VAR_stage=env"},
			want:    map[string]cty.Value{"stage": cty.StringVal("auto")},
		},
		"command line in order, later wins": {
			files:   map[string]string{"a.auto.dwvars": `stage = "auto"`, "prod.dwvars": "stage = \"file\"\nrows = 3"},
			environ: []string{"DWCTL_VAR_stage=env"},
			vars:    []VarArg{{Value: "stage=flag"}, {File: true, Value: "prod.dwvars"}},
			want:    map[string]cty.Value{"stage": cty.StringVal("file"), "rows": cty.NumberIntVal(3)},
		},
		"flag after file": {
			files: map[string]string{"prod.dwvars": `stage = "file"`},
			vars:  []VarArg{{File: true, Value: "prod.dwvars"}, {Value: "stage=flag"}},
			want:  map[string]cty.Value{"stage": cty.StringVal("flag")},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"main.dw.hcl": stageDecl}
			for k, v := range tc.files {
				files[k] = v
			}
			cfg, diags := Load(writeDir(t, files), LoadOptions{Vars: tc.vars, Environ: tc.environ})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			for n, want := range tc.want {
				if got := cfg.Variables[n].Value; !got.RawEquals(want) {
					t.Errorf("%s = %#v, want %#v", n, got, want)
				}
			}
		})
	}
}

func TestSensitiveValuesNeverInDiagnostics(t *testing.T) {
	const secret = "s3cr3t-Value-42"
	dir := writeDir(t, map[string]string{"main.dw.hcl": `
variable "password" {
  type      = string
  sensitive = true
  validation {
    condition     = length(var.password) > 40
    error_message = "bad password ${var.password}"
  }
}
variable "count" {
  type      = number
  sensitive = true
}
environment "finops" "fo" {
  url = "https://${var.password}.example"
}
`})
	cfg, diags := Load(dir, LoadOptions{Environ: []string{"DWCTL_VAR_password=" + secret, "DWCTL_VAR_count=" + secret}})
	if !diags.HasErrors() {
		t.Fatal("want errors")
	}
	for _, d := range diags {
		if strings.Contains(d.Summary+d.Detail, secret) {
			t.Errorf("diagnostic leaks the secret: %s", d.Error())
		}
	}
	if !contains(cfg.SensitiveValues(), secret) {
		t.Errorf("SensitiveValues = %d values, missing the secret", len(cfg.SensitiveValues()))
	}
}

func TestVariableOptionalAttributes(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.dw.hcl": `
variable "settings" {
  type = object({
    rows    = number
    publish = optional(bool, true)
    owner   = optional(string)
  })
}
`, "v.dwvars": `settings = { rows = 3 }`})
	cfg, diags := Load(dir, LoadOptions{Vars: []VarArg{{File: true, Value: "v.dwvars"}}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	got := cfg.Variables["settings"].Value
	if !got.GetAttr("publish").True() || !got.GetAttr("owner").IsNull() {
		t.Errorf("settings = %#v, want publish = true and owner = null", got)
	}
}
