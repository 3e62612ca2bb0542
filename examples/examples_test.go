package examples

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/filter"
	"github.com/dwctl/dwctl/maptest"
	"github.com/dwctl/dwctl/numbering"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// loadCase is one way an example is loaded.
type loadCase struct {
	dir     string
	varFile string
	environ []string
}

var loadCases = map[string]loadCase{
	"quickstart":         {dir: "quickstart"},
	"contoso dev":        {dir: "contoso", varFile: "dev.dwvars"},
	"contoso test":       {dir: "contoso", varFile: "test.dwvars"},
	"contoso prod":       {dir: "contoso", varFile: "prod.dwvars"},
	"contoso pipeline":   {dir: "contoso", varFile: "prod.dwvars", environ: []string{"DWCTL_VAR_client_secret=0123456789abcdefghij0123456789ABCDEFGHIJ"}},
	"contoso via DWCTL_": {dir: "contoso", environ: []string{"DWCTL_VAR_stage=test", "DWCTL_VAR_tenant_id=t", "DWCTL_VAR_client_id=c"}},
	"scenario 1":         {dir: "scenarios/1-new-new"},
	"scenario 2":         {dir: "scenarios/2-new-existing"},
	"scenario 3":         {dir: "scenarios/3-demo-new"},
	"scenario 4":         {dir: "scenarios/4-demo-existing"},
	"scenario 5":         {dir: "scenarios/5-existing-new"},
	"scenario 6":         {dir: "scenarios/6-existing-existing"},
}

func load(t *testing.T, c loadCase) *config.Config {
	t.Helper()
	var vars []config.VarArg
	if c.varFile != "" {
		vars = append(vars, config.VarArg{File: true, Value: filepath.Join(c.dir, c.varFile)})
	}
	cfg, diags := config.Load(c.dir, config.LoadOptions{Vars: vars, Environ: c.environ})
	if diff := cmp.Diff([]string(nil), render(diags)); diff != "" {
		t.Fatalf("%s loads with diagnostics (-want +got):\n%s", c.dir, diff)
	}
	return cfg
}

func render(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Error())
	}
	return out
}

func TestExamplesLoadClean(t *testing.T) {
	for name, c := range loadCases {
		t.Run(name, func(t *testing.T) { load(t, c) })
	}
}

func TestExampleFilters(t *testing.T) {
	for name, c := range loadCases {
		t.Run(name, func(t *testing.T) {
			cfg := load(t, c)
			var got []string
			check := func(where string, lang filter.Lang, src string) {
				if _, diags := filter.Parse(lang, src); len(diags) > 0 {
					got = append(got, fmt.Sprintf("%s %q: %+v", where, src, diags))
				}
			}
			for addr, m := range cfg.TableMaps {
				if m.Filter == nil {
					continue
				}
				if m.Filter.FinOps != nil {
					check(addr+" finops", filter.FinOps, m.Filter.FinOps.Value)
				}
				if m.Filter.Dataverse != nil {
					check(addr+" dataverse", filter.Dataverse, m.Filter.Dataverse.Value)
				}
			}
			for addr, co := range cfg.Companies {
				if co.Bootstrap != nil && co.Bootstrap.Where != "" {
					check(addr+" bootstrap", filter.Dataverse, co.Bootstrap.Where)
				}
			}
			if diff := cmp.Diff([]string(nil), got); diff != "" {
				t.Errorf("filters with diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExampleNumberSequencesAreDisjoint(t *testing.T) {
	cfg := load(t, loadCases["contoso prod"])
	var pairs []numbering.Pair
	for addr, ns := range cfg.NumberSequences {
		p := numbering.Pair{Name: addr}
		if fo := ns.FinOps; fo != nil {
			p.FinOps = &numbering.FinOpsSequence{Code: fo.Code, Scope: fo.Scope, Company: fo.Company,
				Format: fo.Format, Smallest: fo.Smallest, Largest: fo.Largest}
		}
		if dv := ns.Dataverse; dv != nil {
			p.Dataverse = &numbering.AutoNumber{Table: dv.Table, Column: dv.Column, Format: dv.Format, Seed: dv.Seed}
		}
		pairs = append(pairs, p)
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].Name < pairs[j].Name })
	if len(pairs) < 2 {
		t.Fatalf("contoso declares %d number sequences; it shows at least a range and a format pair", len(pairs))
	}
	var got []string
	for _, f := range numbering.CheckAll(pairs) {
		got = append(got, f.Message)
	}
	if diff := cmp.Diff([]string(nil), got); diff != "" {
		t.Errorf("number sequence findings (-want +got):\n%s", diff)
	}
}

// TestExampleShapes pins what make demo and the documentation rely on.
func TestExampleShapes(t *testing.T) {
	type shape struct {
		Emulators  []string
		Companies  int
		MinMaps    int
		AuthMethod string
	}
	tests := map[string]struct {
		c    loadCase
		want shape
	}{
		"quickstart runs on one emulated pair": {
			c:    loadCases["quickstart"],
			want: shape{Emulators: []string{"quickstart", "quickstart"}, Companies: 2, MinMaps: 3},
		},
		"contoso signs in with the Azure CLI without a secret": {
			c:    loadCases["contoso prod"],
			want: shape{Emulators: []string{"", ""}, Companies: 5, MinMaps: 10, AuthMethod: "azure_cli"},
		},
		"contoso signs in with the secret in a pipeline": {
			c:    loadCases["contoso pipeline"],
			want: shape{Emulators: []string{"", ""}, Companies: 5, MinMaps: 10, AuthMethod: "client_secret"},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := load(t, tt.c)
			got := shape{Companies: len(cfg.Companies), MinMaps: tt.want.MinMaps}
			if len(cfg.TableMaps) < tt.want.MinMaps {
				got.MinMaps = len(cfg.TableMaps)
			}
			for _, lk := range cfg.Links {
				got.Emulators = append(got.Emulators, lk.FinOps.Emulator, lk.Dataverse.Emulator)
				if a := lk.FinOps.Auth; a != nil {
					got.AuthMethod = a.Method
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("shape (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExamplesAreFormatted(t *testing.T) {
	files, err := filepath.Glob("*/*.dw*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example files: %v", err)
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(src), string(hclwrite.Format(src))); diff != "" {
				t.Errorf("%s is not formatted as dwctl fmt writes it (-have +want):\n%s", f, diff)
			}
		})
	}
}

// TestExamplesNeverShowTheSecret checks that the client secret given by the
// pipeline is held as a secret, not as text the model would print.
func TestExamplesNeverShowTheSecret(t *testing.T) {
	const secret = "0123456789abcdefghij0123456789ABCDEFGHIJ"
	cfg := load(t, loadCases["contoso pipeline"])
	var got []string
	for _, e := range cfg.Environments {
		if e.Auth == nil {
			continue
		}
		if e.Auth.ClientSecret.Reveal() != secret {
			got = append(got, e.Addr()+": the auth block does not hold the secret")
		}
		if s := fmt.Sprintf("%v %+v %#v", e.Auth, e.Auth, e.Auth); bytes.Contains([]byte(s), []byte(secret)) {
			got = append(got, e.Addr()+": formatting the auth block shows the secret")
		}
	}
	if diff := cmp.Diff([]string(nil), got); diff != "" {
		t.Error(diff)
	}
}

// TestExampleMapTests runs the map tests the examples ship: every one
// passes, and the quickstart has some.
func TestExampleMapTests(t *testing.T) {
	cfg := load(t, loadCases["quickstart"])
	files, diags := maptest.Load("quickstart", map[string][]byte{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	n := 0
	for _, f := range files {
		for _, r := range maptest.Run(cfg, f) {
			n++
			if !r.Passed() {
				t.Errorf("%s: test %q: %s", r.File, r.Test, r.Diags.Error())
			}
		}
	}
	if n == 0 {
		t.Error("the quickstart ships no map tests")
	}
}
