package applier_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/applier"
	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/connection"
	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/state"
	"github.com/dwctl/dwctl/state/pgtest"
	"github.com/hashicorp/go-hclog"
)

// pgServer is the PostgreSQL server the pg backend tests share.
var pgServer *pgtest.Server

func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m, func(s *pgtest.Server) { pgServer = s }))
}

// pair is an example opened on its emulator, with the state of the test.
type pair struct {
	t     testing.TB
	ctx   context.Context
	dir   string
	cfg   *config.Config
	conns *connection.Connections
	// noCounts plans without sizing data operations (benchmarks that only apply).
	noCounts bool
}

// openQuickstart copies the quickstart into a temporary directory and opens
// its emulator, seeded with the F&O demo data and the legal entities the
// quickstart names that the demo lacks.
func openQuickstart(t testing.TB, edits ...func(string) string) *pair {
	return openQuickstartRows(t, 3, edits...)
}

// openQuickstartRows is openQuickstart with rows rows per company and table
// in the seed data.
func openQuickstartRows(t testing.TB, rows int, edits ...func(string) string) *pair {
	t.Helper()
	return openQuickstartLogged(t, rows, nil, edits...)
}

// openQuickstartLogged is openQuickstartRows with the clients' request log sent to log.
func openQuickstartLogged(t testing.TB, rows int, log hclog.Logger, edits ...func(string) string) *pair {
	t.Helper()
	return openQuickstartWith(t, emulator.Options{FinOps: "demo", Dataverse: "existing", Rows: rows}, log, edits...)
}

// openQuickstartWith is openQuickstartLogged with the emulator's options (its data directory is set).
func openQuickstartWith(t testing.TB, eo emulator.Options, log hclog.Logger, edits ...func(string) string) *pair {
	t.Helper()
	return openQuickstartFrom(t, "", eo, log, edits...)
}

// openQuickstartFrom is openQuickstartWith on a copy of the emulator data of the pair opened in the
// directory from (nothing is seeded again), or on a new emulator when from is "".
func openQuickstartFrom(t testing.TB, from string, eo emulator.Options, log hclog.Logger, edits ...func(string) string) *pair {
	t.Helper()
	dir := t.TempDir()
	if from != "" {
		if err := os.CopyFS(filepath.Join(dir, ".dwctl"), os.DirFS(filepath.Join(from, ".dwctl"))); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join("..", "examples", "quickstart", "*.dw.hcl"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, edit := range edits {
			b = []byte(edit(string(b)))
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
	eo.Logger = hclog.NewNullLogger()
	conns, err := connection.Open(ctx, cfg, connection.Options{Dir: dir, Logger: log, Emulator: eo})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conns.Close() })
	// Requests complete at their first poll: the tests do not wait for the
	// client's poll interval.
	conns.Emulator("quickstart").SetControlPolls(0)
	p := &pair{t: t, ctx: ctx, dir: dir, cfg: cfg, conns: conns}
	p.legalEntities()
	return p
}

func (p *pair) legalEntities() {
	for _, c := range p.cfg.Companies {
		fo := p.conns.Pairs[c.Link.Name].FinOps
		have, err := fo.LegalEntities(p.ctx)
		if err != nil {
			p.t.Fatal(err)
		}
		found := false
		for _, h := range have {
			found = found || strings.EqualFold(h.Code, c.ID)
		}
		if found {
			continue
		}
		res, err := fo.WriteRows(p.ctx, "LegalEntities", []providers.Write{{Kind: providers.Create,
			Row: providers.Row{"LegalEntityId": c.ID, "Name": c.Name}}}, providers.BatchOptions{})
		if err != nil || res[0].Err != nil {
			p.t.Fatalf("create legal entity %s: %v %v", c.ID, err, res)
		}
	}
}

// read reads the snapshot of a link.
func (p *pair) read(ctx context.Context, link string) (*planner.Live, error) {
	return live.Read(ctx, p.cfg, p.cfg.Links[link], p.conns.Pairs[link], live.Options{Counts: !p.noCounts})
}

func (p *pair) lives() map[string]*planner.Live {
	out := map[string]*planner.Live{}
	for name := range p.cfg.Links {
		l, err := p.read(p.ctx, name)
		if err != nil {
			p.t.Fatal(err)
		}
		out[name] = l
	}
	return out
}

// plan plans against the stored state of b.
func (p *pair) plan(b state.Backend) (*planner.Plan, *state.State) {
	st, err := state.GetOrNew(p.ctx, b)
	if err != nil {
		p.t.Fatal(err)
	}
	plan, diags := planner.Build(p.cfg, p.lives(), st, planner.Options{})
	if diags.HasErrors() {
		p.t.Fatal(diags.Error())
	}
	return plan, st
}

// applier returns an applier over the pair writing to b.
func (p *pair) applier(b state.Backend, o applier.Options) *applier.Applier {
	pairs := map[string]applier.Pair{}
	for name, pr := range p.conns.Pairs {
		pairs[name] = pr
	}
	return applier.New(b, pairs, p.read, o)
}

// local opens the local state backend of the pair's directory.
func (p *pair) local() state.Backend {
	b := state.NewLocal(filepath.Join(p.dir, ".dwctl", "state.json"))
	p.t.Cleanup(func() { _ = b.Close() })
	return b
}

// injectFaults queues faults for the next requests of the control plane.
func (p *pair) injectFaults(next ...string) {
	p.faults(p.conns.Emulator("quickstart").Info().AuthorityURL, `{"next": ["`+strings.Join(next, `","`)+`"]}`)
}

// faults posts a fault request to the admin endpoint of the listener at base.
func (p *pair) faults(base, body string) {
	e := p.conns.Emulator("quickstart")
	req, _ := http.NewRequest(http.MethodPost, base+emulator.FaultsPath, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig(p.t, e.Info().CAFile)}}
	resp, err := client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("fault injection: %s", resp.Status)
	}
}
