package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/mapping"
)

// TestPlannedRowsAreAppliedRows: on a fresh emulator, the rows every
// bootstrap and initial sync (service and dwctl mode) of a saved plan
// promises (show -json) are the rows apply reports for it (apply -json,
// action_done), and the next plan has no changes.
func TestPlannedRowsAreAppliedRows(t *testing.T) {
	t.Parallel()
	type run struct {
		example string
		edit    func(name, src string) string
		env     []string
		varFile string
		rows    int // rows per seeded table (default 4)
	}
	runs := map[string]run{
		"quickstart":                   {example: "quickstart"},
		"quickstart 300 rows":          {example: "quickstart", rows: 300},
		"quickstart dwctl":             {example: "quickstart", edit: copyEverything},
		"quickstart dwctl 300 rows":    {example: "quickstart", edit: copyEverything, rows: 300},
		"quickstart 10,000 rows":       {example: "quickstart", rows: bigRows()},
		"quickstart dwctl 10,000 rows": {example: "quickstart", edit: copyEverything, rows: bigRows()},
		"quickstart two bootstraps":    {example: "quickstart", edit: twoBootstraps, rows: 40},
	}
	for _, stage := range []string{"dev", "test", "prod"} {
		runs["contoso "+stage] = run{example: "contoso", edit: contosoOnEmulator, env: contosoEnv, varFile: stage + ".dwvars"}
	}
	for name, r := range runs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var vars []config.VarArg
			args := []string{}
			if r.varFile != "" {
				vars = append(vars, config.VarArg{File: true, Value: r.varFile})
				args = append(args, "-var-file="+r.varFile)
			}
			rows := r.rows
			if rows == 0 {
				rows = 4
			}
			dir := exampleDirRows(t, r.example, r.edit, rows, vars...)
			if res := dwctlEnv(t, dir, r.env, append([]string{"plan", "-out=p.dwplan"}, args...)...); res.status != 0 {
				t.Fatalf("plan: status %d\n%s", res.status, res.stderr)
			}
			res := dwctlEnv(t, dir, r.env, "show", "-json", "p.dwplan")
			var plan struct {
				Summary struct {
					Add, Change, Destroy int
					DataOperations       int   `json:"data_operations"`
					Rows                 int64 `json:"rows"`
				}
				Actions []struct {
					Address, Action string
					Rows            int64
					Params          struct{ Mode string }
					Companies       map[string]map[string]int64
				}
			}
			if err := json.Unmarshal([]byte(res.stdout), &plan); err != nil {
				t.Fatalf("show -json: %v\n%s", err, res.stdout)
			}
			planned := map[string]int64{}
			for _, a := range plan.Actions {
				if a.Action == "initial_sync" || a.Action == "bootstrap" {
					planned[a.Address] = a.Rows
				}
			}
			if len(planned) == 0 {
				t.Fatal("the plan has no data operation")
			}
			res = dwctlEnv(t, dir, r.env, append(append([]string{"apply", "-json"}, args...), "p.dwplan")...)
			if res.status != 0 {
				t.Fatalf("apply: status %d\n%s\n%s", res.status, res.stdout, res.stderr)
			}
			applied := map[string]int64{}
			var summary struct{ Added, Changed, Destroyed, DataOperations int }
			var written int64
			for _, line := range strings.Split(strings.TrimSpace(res.stdout), "\n") {
				var e struct {
					Type, Address string
					Rows          int64
					Summary       *struct {
						Added, Changed, Destroyed int
						DataOperations            int   `json:"data_operations"`
						Rows                      int64 `json:"rows"`
					}
				}
				if err := json.Unmarshal([]byte(line), &e); err != nil {
					t.Fatalf("apply -json line %q: %v", line, err)
				}
				if _, ok := planned[e.Address]; ok && e.Type == "action_done" {
					applied[e.Address] = e.Rows
				}
				if e.Type == "apply_done" && e.Summary != nil {
					summary.Added, summary.Changed, summary.Destroyed, summary.DataOperations = e.Summary.Added, e.Summary.Changed, e.Summary.Destroyed, e.Summary.DataOperations
					written = e.Summary.Rows
				}
			}
			// The apply's report counts what the plan's summary promised.
			want := struct{ Added, Changed, Destroyed, DataOperations int }{plan.Summary.Add, plan.Summary.Change, plan.Summary.Destroy, plan.Summary.DataOperations}
			if diff := cmp.Diff(want, summary); diff != "" {
				t.Errorf("apply_done summary vs the plan's (-plan +apply):\n%s", diff)
			}
			if written != plan.Summary.Rows {
				t.Errorf("apply_done wrote %d rows, the plan promised %d", written, plan.Summary.Rows)
			}
			if diff := cmp.Diff(planned, applied); diff != "" {
				t.Errorf("rows of the data operations (-planned +applied):\n%s", diff)
			}
			for _, a := range plan.Actions {
				if a.Address == "initial_sync.table_map.customers" {
					recountCustomers(t, dir, r.example, a.Params.Mode, a.Companies)
				}
			}
			if res := dwctlEnv(t, dir, r.env, append([]string{"plan", "-detailed-exitcode"}, args...)...); res.status != 0 {
				t.Errorf("plan after apply: status %d\n%s\n%s", res.status, res.stdout, res.stderr)
			}
		})
	}
}

// copyEverything makes every initial sync of a configuration a dwctl-mode
// copy.
func copyEverything(_, src string) string {
	return strings.ReplaceAll(src, `master  = "finops"`, "master  = \"finops\"\n    mode    = \"dwctl\"")
}

// bigRows is the size of the largest run: 10,000 rows, 1,000 with -short.
func bigRows() int {
	if testing.Short() {
		return 1000
	}
	return 10000
}

// recountCustomers reads the example's emulator store after apply: no
// two accounts share an integration key (account number and company), and
// per company the accounts holding the F&O organisations are exactly the
// rows the plan's preview promised Dataverse would hold (a dwctl copy:
// created, updated and unchanged; a service sync: what F&O exports).
func recountCustomers(t *testing.T, dir, pair, mode string, preview map[string]map[string]int64) {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, ".dwctl", "emulator", pair, store.DatabaseFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	codes := map[string]string{} // cdm_companyid → code
	err = st.Scan(ctx, store.Dataverse, "cdm_company", "", func(r store.Row) (bool, error) {
		codes[r.ID] = strings.ToUpper(mapping.Text(r.Data["cdm_companycode"]))
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	organisations := map[string]bool{} // COMPANY/ACCOUNT
	err = st.Scan(ctx, store.FinOps, "CustomerV3", "", func(r store.Row) (bool, error) {
		if r.Data["PartyType"] == "Organization" {
			organisations[strings.ToUpper(mapping.Text(r.Data["dataAreaId"]))+"/"+strings.ToUpper(mapping.Text(r.Data["CustomerAccount"]))] = true
		}
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	keys, held := map[string]int{}, map[string]int64{}
	err = st.Scan(ctx, store.Dataverse, "account", "", func(r store.Row) (bool, error) {
		company, _ := r.Data["_msdyn_company_value"].(string)
		key := codes[company] + "/" + strings.ToUpper(mapping.Text(r.Data["accountnumber"]))
		if mapping.Text(r.Data["accountnumber"]) == "" {
			return true, nil
		}
		keys[key]++
		if organisations[key] && keys[key] == 1 {
			held[codes[company]]++
		}
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, n := range keys {
		if n > 1 {
			t.Errorf("%d accounts share the integration key %s", n, k)
		}
	}
	want := map[string]int64{}
	for company, c := range preview {
		n := c["finops"]
		if mode == "dwctl" {
			n = c["dataverse_create"] + c["dataverse_update"] + c["unchanged"]
		}
		if n > 0 {
			want[company] = n
		}
	}
	if diff := cmp.Diff(want, held); diff != "" {
		t.Errorf("accounts holding F&O's organisations per company (-preview +recount):\n%s", diff)
	}
}

// twoBootstraps gives USMF the company-less contacts in the USA and USRT
// every company-less contact: the contacts in the USA match both, and go
// to USMF, whose bootstrap runs first.
func twoBootstraps(_, src string) string {
	src = strings.Replace(src, "  name = \"Contoso Entertainment System USA\"\n}",
		"  name = \"Contoso Entertainment System USA\"\n  bootstrap {\n    tables = [\"contact\"]\n    where  = \"address1_country eq 'USA'\"\n  }\n}", 1)
	return strings.Replace(src, "  name = \"Contoso Retail USA\"\n}",
		"  name = \"Contoso Retail USA\"\n  bootstrap {\n    tables = [\"contact\"]\n  }\n}", 1)
}
