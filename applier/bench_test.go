package applier_test

import (
	"testing"
	"time"

	"github.com/dwctl/dwctl/applier"
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
