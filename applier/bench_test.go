package applier_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/dwctl/dwctl/applier"
	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/emulator/protection"
	"github.com/dwctl/dwctl/emulator/store"
)

// BenchmarkCopy applies the quickstart with its customers copied by dwctl
// (mode "dwctl") on a pair seeded with 2,000 customers per company, and
// reports the copy's rows per second.
func BenchmarkCopy(b *testing.B) {
	for range b.N {
		b.StopTimer()
		p := openQuickstartRows(b, 2000, dwctlMode)
		st := p.local()
		plan, s := p.plan(st)
		var rows int64
		var took time.Duration
		ap := p.applier(st, applier.Options{Events: func(e applier.Event) {
			if e.Type == applier.EventActionDone && e.ID == "initial_sync.table_map.customers:initial_sync" {
				rows, took = e.Rows, e.Elapsed
			}
		}})
		b.StartTimer()
		if _, err := ap.Apply(p.ctx, nil, plan, s); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rows), "rows")
		b.ReportMetric(float64(rows)/took.Seconds(), "rows/s")
	}
}

// responseCounter counts the HTTP answers the clients log (one "response" line each), all of
// them, or those whose URL holds one of only.
type responseCounter struct {
	mu   sync.Mutex
	n    int
	only []string
}

func (c *responseCounter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.only) == 0 {
		c.n += bytes.Count(p, []byte(`"@message":"response"`))
		return len(p), nil
	}
	for _, line := range bytes.Split(p, []byte("\n")) {
		var e struct {
			Message string `json:"@message"`
			URL     string `json:"url"`
		}
		if json.Unmarshal(line, &e) != nil || e.Message != "response" {
			continue
		}
		for _, o := range c.only {
			if strings.Contains(e.URL, o) {
				c.n++
				break
			}
		}
	}
	return len(p), nil
}

func (c *responseCounter) take() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = 0
	return n
}

// withMaps adds maps to the quickstart until it declares n: maps of customers told apart by their
// filters, started without an initial sync.
func withMaps(n int) func(string) string {
	return func(src string) string {
		if !strings.Contains(src, `table_map "customers"`) {
			return src
		}
		var b strings.Builder
		b.WriteString(src)
		for i := range n - 3 {
			fmt.Fprintf(&b, `
table_map "extra%d" {
  link      = link.main
  finops    = "CustomersV3"
  dataverse = "accounts"
  filter { finops = "((CustomerAccount == \"X%04d\"))" }
  field "CUSTOMERACCOUNT" "accountnumber" {}
}
`, i, i)
		}
		return b.String()
	}
}

// BenchmarkApplyRequests applies the quickstart grown to n maps on a new pair and reports the
// requests the apply sends per map (planning not counted): an apply is linear in maps when req/map
// stays flat as n grows.
func BenchmarkApplyRequests(b *testing.B) {
	for _, n := range []int{5, 50} {
		b.Run(fmt.Sprintf("maps=%d", n), func(b *testing.B) {
			var requests int
			for range b.N {
				b.StopTimer()
				counter := &responseCounter{}
				log := hclog.New(&hclog.LoggerOptions{Level: hclog.Debug, Output: counter, JSONFormat: true})
				p := openQuickstartLogged(b, 3, log, withMaps(n))
				st := p.local()
				plan, s := p.plan(st)
				counter.take()
				b.StartTimer()
				rep, err := p.applier(st, applier.Options{}).Apply(p.ctx, nil, plan, s)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if sum := rep.Summary(); sum.OK != len(plan.Actions) {
					b.Fatalf("%d of %d actions done: %+v", sum.OK, len(plan.Actions), sum)
				}
				requests = counter.take()
			}
			b.ReportMetric(float64(requests)/float64(n), "req/map")
		})
	}
}

// BenchmarkSyncThroughput applies the quickstart with its customers copied by dwctl (mode "dwctl")
// on a pair seeded with 133,400 customers per company (100,000 rows copied; seeded once, each run on
// a copy of the data), with no added latency and
// with 50 ms added to every data request, and reports the copy's rows per second, rows per HTTP
// request of the copy (its reads of the two tables and its $batch requests of either service; the
// rest of the apply, which the control plane does, is not counted) and budget-used: the largest share
// of a service protection limit of either service the apply used over its duration — requests and
// charged execution time (the emulator's cost model) against their allowance for that time, mean
// requests in flight against the concurrency limit.
func BenchmarkSyncThroughput(b *testing.B) {
	const perCompany = 133400
	seeded := openQuickstartRows(b, perCompany, dwctlMode)
	if err := seeded.conns.Close(); err != nil {
		b.Fatal(err)
	}
	for _, latency := range []time.Duration{0, 50 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%dms", latency.Milliseconds()), func(b *testing.B) {
			var rows int64
			var took time.Duration
			var requests int
			var used float64
			for range b.N {
				b.StopTimer()
				counter := &responseCounter{only: []string{"/$batch", "/api/data/v9.2/accounts", "/data/CustomersV3"}}
				log := hclog.New(&hclog.LoggerOptions{Level: hclog.Debug, Output: counter, JSONFormat: true})
				p := openQuickstartFrom(b, seeded.dir, emulator.Options{FinOps: "demo", Dataverse: "existing", Rows: perCompany, Latency: latency}, log, dwctlMode)
				p.noCounts = true // the plan need not size the copy it runs
				st := p.local()
				plan, s := p.plan(st)
				counter.take()
				ap := p.applier(st, applier.Options{Events: func(e applier.Event) {
					if e.Type == applier.EventActionDone && e.ID == "initial_sync.table_map.customers:initial_sync" {
						rows, took = e.Rows, e.Elapsed
					}
				}})
				emu := p.conns.Emulator("quickstart")
				dv0, _ := emu.Usage(store.Dataverse)
				fo0, _ := emu.Usage(store.FinOps)
				start := time.Now()
				b.StartTimer()
				if _, err := ap.Apply(p.ctx, nil, plan, s); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				elapsed := time.Since(start)
				requests = counter.take()
				dv1, lim := emu.Usage(store.Dataverse)
				fo1, folim := emu.Usage(store.FinOps)
				used = max(budgetUsed(dv0, dv1, lim, elapsed), budgetUsed(fo0, fo1, folim, elapsed))
			}
			b.ReportMetric(used, "budget-used")
			b.ReportMetric(float64(rows)/took.Seconds(), "rows/s")
			b.ReportMetric(float64(rows)/float64(max(requests, 1)), "rows/req")
		})
	}
}

// budgetUsed is the largest share of a service's protection limits used between two readings of its
// totals over elapsed: requests and charged execution time against what the limits allow in that
// time, and the mean requests in flight against the concurrency limit (at most 1).
func budgetUsed(before, after protection.Totals, lim protection.Limits, elapsed time.Duration) float64 {
	window := elapsed.Seconds() / lim.Window.Seconds()
	shares := []float64{float64(after.Busy-before.Busy) / float64(elapsed) / float64(max(lim.Concurrent, 1))}
	if lim.Requests > 0 {
		shares = append(shares, float64(after.Requests-before.Requests)/(float64(lim.Requests)*window))
	}
	if lim.ExecutionTime > 0 {
		shares = append(shares, float64(after.Charged-before.Charged)/(float64(lim.ExecutionTime)*window))
	}
	return min(1, slices.Max(shares))
}
