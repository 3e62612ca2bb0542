package connection

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/state"
	"github.com/dwctl/dwctl/view"
	"github.com/google/go-cmp/cmp"
)

// pairEnv is a configuration opened against its in-process emulator.
type pairEnv struct {
	t     *testing.T
	ctx   context.Context
	cfg   *config.Config
	conns *Connections
	st    *state.State
}

// openExample copies an example's configuration to a temporary directory
// and opens its emulated pair, seeded with the F&O demo companies plus the
// ones the example names.
func openExample(t *testing.T, example string) *pairEnv {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob(filepath.Join("..", "examples", example, "*.dw.hcl"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg, diags := config.Load(dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	ctx := context.Background()
	conns, err := Open(ctx, cfg, Options{Dir: dir, Emulator: emulator.Options{FinOps: "demo", Dataverse: "empty", Rows: 3}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conns.Close() })
	e := &pairEnv{t: t, ctx: ctx, cfg: cfg, conns: conns, st: state.New()}
	e.legalEntities()
	return e
}

// legalEntities creates in F&O the companies the configuration names
// that the demo data lacks.
func (e *pairEnv) legalEntities() {
	for _, c := range e.cfg.Companies {
		fo := e.conns.Pairs[c.Link.Name].FinOps
		have, err := fo.LegalEntities(e.ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		if containsCode(have, c.ID) {
			continue
		}
		res, err := fo.WriteRows(e.ctx, "LegalEntities", []providers.Write{{Kind: providers.Create,
			Row: providers.Row{"LegalEntityId": c.ID, "Name": c.Name}}}, providers.BatchOptions{})
		if err != nil || res[0].Err != nil {
			e.t.Fatalf("create legal entity %s: %v %v", c.ID, err, res)
		}
	}
}

func containsCode(cs []providers.Company, code string) bool {
	for _, c := range cs {
		if strings.EqualFold(c.Code, code) {
			return true
		}
	}
	return false
}

func (e *pairEnv) lives() map[string]*planner.Live {
	out := map[string]*planner.Live{}
	for name, p := range e.conns.Pairs {
		l, err := live.Read(e.ctx, e.cfg, e.cfg.Links[name], p, live.Options{Counts: true})
		if err != nil {
			e.t.Fatal(err)
		}
		out[name] = l
	}
	return out
}

func (e *pairEnv) plan() *planner.Plan {
	p, diags := planner.Build(e.cfg, e.lives(), e.st, planner.Options{AllowDestroy: true})
	if diags.HasErrors() {
		e.t.Fatal(diags.Error())
	}
	return p
}

// apply runs the plan's actions through the providers, then records the
// objects in state as an apply does.
func (e *pairEnv) apply(p *planner.Plan) {
	for _, a := range p.Actions {
		o := p.Objects[strings.TrimPrefix(strings.TrimPrefix(a.Address, "initial_sync."), "bootstrap.")]
		link := a.Address
		if o != nil {
			link = o.Link
		}
		if err := (&executor{ctx: e.ctx, pair: e.conns.Pairs[link], cfg: e.cfg}).run(a); err != nil {
			e.t.Fatalf("%s: %v", a.ID, err)
		}
	}
	fps := planner.Fingerprints(p, e.lives(), e.st)
	for addr, o := range p.Objects {
		e.st.SetObject(addr, planner.StateObject(o, fps[addr]))
	}
	e.st.Serial++
}

func text(p *planner.Plan) string {
	var b bytes.Buffer
	_ = view.RenderText(&b, p, view.TextOptions{})
	return b.String()
}

func TestQuickstartConverges(t *testing.T) {
	t.Parallel()
	e := openExample(t, "quickstart")
	first := e.plan()
	if first.IsEmpty() {
		t.Fatal("the first plan of an empty pair has no actions")
	}
	e.apply(first)
	if again := e.plan(); !again.IsEmpty() || len(again.Drift) > 0 {
		t.Fatalf("plan after apply is not empty:\n%s", text(again))
	}

	// A filter edited outside dwctl shows as drift, field by field, and
	// plans the way back.
	e.editOutside("table_map.customers", func(d *providers.MapDefinition) { d.DataverseFilter = "customertypecode eq 5" })
	p := e.plan()
	var drift []string
	for _, d := range p.Drift {
		drift = append(drift, d.Address)
	}
	if diff := cmp.Diff([]string{"table_map.customers"}, drift); diff != "" {
		t.Errorf("drift (-want +got):\n%s\n%s", diff, text(p))
	}
	if !strings.Contains(text(p), `~ dataverse = "customertypecode eq 3" -> "customertypecode eq 5"`) {
		t.Errorf("the drift is not shown field by field:\n%s", text(p))
	}
	e.apply(p)
	if again := e.plan(); !again.IsEmpty() {
		t.Fatalf("plan after repairing drift is not empty:\n%s", text(again))
	}
}

// editOutside changes a managed map's active definition through the
// control plane, as a person in the workspace would: stop, save, switch,
// start.
func (e *pairEnv) editOutside(addr string, edit func(*providers.MapDefinition)) {
	m := e.cfg.TableMaps[addr]
	x := &executor{ctx: e.ctx, pair: e.conns.Pairs[m.Link.Name], cfg: e.cfg}
	lm, err := x.findMap(m.FinOps, m.Dataverse)
	if err != nil {
		e.t.Fatal(err)
	}
	ctl, link := x.pair.Control, x.link()
	def, err := ctl.MapDefinition(e.ctx, link, lm)
	if err != nil {
		e.t.Fatal(err)
	}
	edit(&def)
	if err := x.act(lm, providers.ActionStop, providers.ActionOptions{}); err != nil {
		e.t.Fatal(err)
	}
	tpl, err := x.saveVersion(lm.DisplayName, def, "someone", "9.0.0.1")
	if err != nil {
		e.t.Fatal(err)
	}
	if err := ctl.SwitchVersion(e.ctx, link, lm, tpl.ID); err != nil {
		e.t.Fatal(err)
	}
	lm, _ = x.findMap(m.FinOps, m.Dataverse)
	if err := x.act(lm, providers.ActionStart, providers.ActionOptions{SkipInitialSync: true}); err != nil {
		e.t.Fatal(err)
	}
}

var _ = fmt.Sprint

func TestSavedPlanStaleOnEmulator(t *testing.T) {
	t.Parallel()
	e := openExample(t, "quickstart")
	e.apply(e.plan())
	// Edit the configuration: the plan touches table_map.customers only.
	dir := e.cfg.Dir
	src, err := os.ReadFile(filepath.Join(dir, "main.dw.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), `dataverse = "customertypecode eq 3"`, `dataverse = "customertypecode eq 4"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Load(dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	e.cfg = cfg
	p := e.plan()
	saved, err := planner.NewSaved(p, cfg, e.st, "test")
	if err != nil {
		t.Fatal(err)
	}
	stale := func() error { return planner.Stale(saved, e.st, e.lives()) }
	if err := stale(); err != nil {
		t.Fatalf("a fresh plan is stale: %v", err)
	}
	e.editOutside("table_map.currencies", func(d *providers.MapDefinition) { d.FinOpsFilter = `((CURRENCYCODE != "998"))` })
	if err := stale(); err != nil {
		t.Errorf("a change to an object the plan does not touch made it stale: %v", err)
	}
	e.editOutside("table_map.customers", func(d *providers.MapDefinition) { d.FinOpsFilter = `((PartyType == "Person"))` })
	if err := stale(); err == nil || !strings.Contains(err.Error(), "table_map.customers changed since the plan was made") {
		t.Errorf("a change to a touched object: %v", err)
	}
	moved := e.st.Clone()
	moved.Serial++
	if err := planner.Stale(saved, moved, e.lives()); err == nil || !strings.Contains(err.Error(), "serial") {
		t.Errorf("a moved serial: %v", err)
	}
}

// TestQuickstartEdits plans edits of an applied quickstart and checks the
// actions each yields against the emulator.
func TestQuickstartEdits(t *testing.T) {
	t.Parallel()
	e := openExample(t, "quickstart")
	e.apply(e.plan())
	dir := e.cfg.Dir
	orig, err := os.ReadFile(filepath.Join(dir, "main.dw.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		edit func(string) string
		want []string
	}{
		"filter of a running map": {
			edit: func(s string) string {
				return strings.Replace(s, `"customertypecode eq 3"`, `"customertypecode eq 4"`, 1)
			},
			want: []string{"table_map.customers:stop", "table_map.customers:save_version", "table_map.customers:start"},
		},
		"field added": {
			edit: func(s string) string {
				return strings.Replace(s, `field "NAME" "currencyname" {}`, "field \"NAME\" \"currencyname\" {}\n  field \"CURRENCYCODEISO\" \"msdyn_isocode\" {}", 1)
			},
			want: []string{"table_map.currencies:stop", "table_map.currencies:save_version", "table_map.currencies:start"},
		},
		"map paused": {
			edit: func(s string) string {
				return strings.Replace(s, `dataverse = "msdyn_customergroups"`, "dataverse = \"msdyn_customergroups\"\n  state     = \"paused\"", 1)
			},
			want: []string{"table_map.customer_groups:pause"},
		},
		"map deleted": {
			edit: func(s string) string {
				i, j := strings.Index(s, `table_map "customer_groups"`), strings.Index(s, "# Customers V3")
				return strings.Replace(s[:i]+s[j:], "table_map.currencies, table_map.customer_groups", "table_map.currencies", 1)
			},
			want: []string{"table_map.customer_groups:stop", "table_map.customer_groups:delete"},
		},
		"company added": {
			edit: func(s string) string {
				return s + "\ncompany \"DEMF\" {\n  link = link.main\n  name = \"Contoso Entertainment System Germany\"\n}\n"
			},
			want: []string{"company.DEMF:create"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(tc.edit(string(orig))), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, diags := config.Load(dir, config.LoadOptions{})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			e.cfg = cfg
			var got []string
			for _, a := range e.plan().Actions {
				got = append(got, a.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
		})
	}
}

const sequence = `
number_sequence "customer_account" {
  link = link.main
  finops {
    code     = "Acco_1"
    scope    = "company"
    company  = "USMF"
    format   = "F####"
    smallest = 1
    largest  = 4999
  }
  dataverse {
    table  = "account"
    column = "accountnumber"
    format = "C{SEQNUM:4}"
    seed   = SEED
  }
}
`

// TestSequenceSeed applies a number sequence on the emulator, then
// changes its Dataverse seed up (an update) and down below the numbers
// issued (an error).
func TestSequenceSeed(t *testing.T) {
	t.Parallel()
	e := openExample(t, "quickstart")
	dir := e.cfg.Dir
	orig, err := os.ReadFile(filepath.Join(dir, "main.dw.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	setSeed := func(seed string) {
		src := string(orig) + strings.Replace(sequence, "SEED", seed, 1)
		if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, diags := config.Load(dir, config.LoadOptions{})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		e.cfg = cfg
	}
	setSeed("5000")
	e.apply(e.plan())
	if p := e.plan(); !p.IsEmpty() {
		t.Fatalf("plan after apply is not empty:\n%s", text(p))
	}
	setSeed("6000")
	p := e.plan()
	var ids []string
	for _, a := range p.Actions {
		ids = append(ids, a.ID)
	}
	if diff := cmp.Diff([]string{"number_sequence.customer_account:update"}, ids); diff != "" {
		t.Fatalf("actions (-want +got):\n%s\n%s", diff, text(p))
	}
	if !strings.Contains(text(p), "~ seed = 5000 (next value) -> 6000") {
		t.Errorf("the seed change is not shown:\n%s", text(p))
	}
	e.apply(p)
	if p := e.plan(); !p.IsEmpty() {
		t.Fatalf("plan after the seed change is not empty:\n%s", text(p))
	}
	setSeed("10")
	if _, diags := planner.Build(e.cfg, e.lives(), e.st, planner.Options{}); !strings.Contains(diags.Error(), "Seed below numbers already issued") {
		t.Errorf("a seed below the next number: %v", diags)
	}
}
