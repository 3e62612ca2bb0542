package connection

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/state"
)

const pairOnly = `
environment "finops" "fo" { url = "emulator://imp" }
environment "dataverse" "ce" { url = "emulator://imp" }
link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
`

// TestImportRoundTrip links an emulated pair through the control plane
// (which publishes the solutions' maps), runs some of them, generates the
// configuration of everything found and checks that planning it shows no
// change.
func TestImportRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("main.dw.hcl", pairOnly)
	load := func() *config.Config {
		cfg, diags := config.Load(dir, config.LoadOptions{})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		return cfg
	}
	cfg := load()
	ctx := context.Background()
	conns, err := Open(ctx, cfg, Options{Dir: dir, Emulator: emulator.Options{FinOps: "demo", Rows: 2}})
	if err != nil {
		t.Fatal(err)
	}
	defer conns.Close()
	e := &pairEnv{t: t, ctx: ctx, cfg: cfg, conns: conns, st: state.New()}
	x := &executor{ctx: ctx, pair: conns.Pairs["main"], cfg: cfg}
	ctl := x.pair.Control
	if _, err := ctl.CreateLink(ctx, providers.LinkRequest{DataverseEnvironment: x.pair.Endpoints.Dataverse}); err != nil {
		t.Fatal(err)
	}
	if err := ctl.AddLegalEntities(ctx, x.link(), []string{"USMF"}, true); err != nil {
		t.Fatal(err)
	}
	maps, err := x.maps()
	if err != nil || len(maps) < 20 {
		t.Fatalf("%d maps after linking (%v); the test wants at least 20", len(maps), err)
	}
	started := 0
	for _, m := range maps {
		if started < 3 && x.act(m, providers.ActionStart, providers.ActionOptions{SkipInitialSync: true}) == nil {
			started++
		}
	}
	if started == 0 {
		t.Fatal("no map could be started")
	}

	p := e.plan()
	src, imported, skipped := planner.Generate(p, nil)
	if len(skipped) > 0 {
		t.Errorf("maps left out: %v", skipped)
	}
	kinds := map[string]int{}
	for _, im := range imported {
		kinds[im.Kind]++
	}
	if kinds["table_map"] < 20 || kinds["company"] != 1 || kinds["integration_key"] == 0 {
		t.Errorf("imported %v", kinds)
	}
	write("imported.dw.hcl", string(src))
	e.cfg = load()
	again := e.plan()
	if !again.IsEmpty() || len(again.NotManaged) > 0 {
		t.Fatalf("plan after import is not empty (%d not managed):\n%s\n--- generated:\n%s", len(again.NotManaged), text(again), src)
	}
}
