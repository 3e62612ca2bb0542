package connection

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
)

// requestCounter counts the HTTP responses the clients log.
type requestCounter struct {
	mu sync.Mutex
	n  int
}

func (c *requestCounter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += bytes.Count(p, []byte(`"@message":"response"`))
	return len(p), nil
}

func (c *requestCounter) take() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = 0
	return n
}

// BenchmarkPlanRequestsEmulator counts the requests of reading and
// planning a pair of N maps over HTTP against the emulator (make bench).
func BenchmarkPlanRequestsEmulator(b *testing.B) {
	for _, n := range []int{5, 500} {
		b.Run(fmt.Sprintf("maps=%d", n), func(b *testing.B) {
			cfg, conns, counter := benchPair(b, n)
			pair := conns.Pairs["main"]
			requests := 0
			for b.Loop() {
				counter.take()
				l, err := live.Read(context.Background(), cfg, cfg.Links["main"], pair, live.Options{Counts: true})
				if err != nil {
					b.Fatal(err)
				}
				// The pair matches its configuration: the plan is empty.
				if p, diags := planner.Build(cfg, map[string]*planner.Live{"main": l}, nil, planner.Options{}); diags.HasErrors() || !p.IsEmpty() {
					b.Fatalf("plan: %d actions, %v", len(p.Actions), diags)
				}
				requests = counter.take()
			}
			b.ReportMetric(float64(requests), "requests/plan")
		})
	}
}

// benchPair starts an emulated, linked pair holding n maps of its own on
// Customers V3 ↔ accounts (told apart by their filters), with a
// configuration that declares them.
func benchPair(b *testing.B, n int) (*config.Config, *Connections, *requestCounter) {
	dir := b.TempDir()
	var src strings.Builder
	src.WriteString(strings.ReplaceAll(pairOnly, "emulator://imp", "emulator://bench"))
	for i := range n {
		fmt.Fprintf(&src, `table_map "m%d" {
  link      = link.main
  finops    = "CustomersV3"
  dataverse = "accounts"
  state     = "stopped"
  filter { finops = "((CustomerAccount == \"B%04d\"))" }
  field "CUSTOMERACCOUNT" "accountnumber" {}
}
`, i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg, diags := config.Load(dir, config.LoadOptions{})
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	counter := &requestCounter{}
	log := hclog.New(&hclog.LoggerOptions{Level: hclog.Debug, Output: counter, JSONFormat: true})
	ctx := context.Background()
	conns, err := Open(ctx, cfg, Options{Dir: dir, Logger: log, Emulator: emulator.Options{FinOps: "demo", Rows: 1, Logger: hclog.NewNullLogger()}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = conns.Close() })
	x := &executor{ctx: ctx, pair: conns.Pairs["main"], cfg: cfg}
	if _, err := x.pair.Control.CreateLink(ctx, providers.LinkRequest{DataverseEnvironment: x.pair.Endpoints.Dataverse}); err != nil {
		b.Fatal(err)
	}
	sol := providers.SolutionSpec{UniqueName: "bench_maps", FriendlyName: "bench", Publisher: "bench", PublisherName: "bench", Prefix: "bench", OptionValuePrefix: 12347}
	for _, addr := range sortedKeys(cfg.TableMaps) {
		m := cfg.TableMaps[addr]
		def := providers.MapDefinition{FinOpsEntity: m.FinOps, DataverseEntitySet: m.Dataverse, FinOpsFilter: m.Filter.FinOps.Value,
			Fields: []providers.FieldMapping{{FinOps: "CUSTOMERACCOUNT", Dataverse: "accountnumber", Direction: providers.Bidirectional}}}
		name := m.Dataverse + " - " + m.Name
		doc, err := live.EncodeMapping(name, def)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := x.pair.Dataverse.SaveEntityMap(ctx, sol, providers.EntityMap{Name: "bench_[" + name + "]", DisplayName: name, Version: "1.0.0.1", Mapping: doc}); err != nil {
			b.Fatal(err)
		}
	}
	if err := x.pair.Control.ApplySolution(ctx, x.link(), sol.UniqueName); err != nil {
		b.Fatal(err)
	}
	return cfg, conns, counter
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
