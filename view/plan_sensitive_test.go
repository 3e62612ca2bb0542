package view

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
)

// TestRedactionByMarks: a sensitive variable whose value is "main" feeds a map's filter, a field's
// default and a company's name. The renderers print "(sensitive value)" exactly there; every other
// "main" of the plan (link.main, the link's name) is left intact, in text, Markdown and JSON.
func TestRedactionByMarks(t *testing.T) {
	src := `
variable "code" {
  type      = string
  sensitive = true
}
` + strings.NewReplacer(
		`dataverse = "customertypecode eq 3"`, `dataverse = "name eq '${var.code}'"`,
		`field "" "exchangerate" { default = 1 }`, `field "" "exchangerate" { default = 1 }
  field "" "currencyname" { default = var.code }`,
		`name = "Contoso Entertainment System USA"`, `name = "Contoso ${var.code}"`,
	).Replace(baseConfig)
	dir := t.TempDir()
	cfg := loadConfigIn(t, dir, src, config.VarArg{Value: "code=main"})
	l := baseLive()
	p, diags := planner.Build(cfg, map[string]*planner.Live{"main": l}, nil, planner.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var text bytes.Buffer
	if err := RenderText(&text, p, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	md := strings.Join(RenderMarkdown(p), "")
	var js bytes.Buffer
	if err := RenderJSON(&js, p, nil); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "markdown": md, "json": js.String()} {
		if strings.Contains(out, "name eq 'main'") || strings.Contains(out, "Contoso main") || strings.Contains(out, `"main"`) && name != "json" {
			t.Errorf("%s shows the sensitive value:\n%s", name, out)
		}
		if !strings.Contains(out, planner.SensitiveText) {
			t.Errorf("%s has no %q:\n%s", name, planner.SensitiveText, out)
		}
		if strings.Contains(out, "(sensitive)") {
			t.Errorf("%s was redacted by searching for the text", name)
		}
	}
	if !strings.Contains(text.String(), "company.USMF") || !json.Valid(js.Bytes()) {
		t.Errorf("the rest of the plan is damaged:\n%s", text.String())
	}
	var doc struct {
		Actions []struct {
			Address string
			After   json.RawMessage
		}
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, a := range doc.Actions {
		if strings.Contains(string(a.After), "'main'") || strings.Contains(string(a.After), "Contoso main") {
			t.Errorf("%s: JSON after shows the sensitive value: %s", a.Address, a.After)
		}
	}
}

// loadConfigIn loads src from dir with variables.
func loadConfigIn(t testing.TB, dir, src string, vars ...config.VarArg) *config.Config {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Load(dir, config.LoadOptions{Vars: vars})
	if diags.HasErrors() {
		t.Fatalf("config: %s", diags.Error())
	}
	return cfg
}
