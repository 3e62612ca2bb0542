package emulator

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dwctl/dwctl/emulator/protection"
)

// BenchmarkDataverseReadRow measures single-row reads by primary key over loopback HTTPS, from
// parallel clients; it reports requests/s.
func BenchmarkDataverseReadRow(b *testing.B) {
	env := startEnv(b, Options{Dataverse: "existing", Rows: 200, DataverseLimits: protection.Limits{Requests: -1, Concurrent: -1, ExecutionTime: -1}})
	var ids []string
	for _, v := range env.do("dv", "GET", "/api/data/v9.2/accounts?$select=accountid", "").json(b)["value"].([]any) {
		ids = append(ids, v.(map[string]any)["accountid"].(string))
	}
	env.token(env.info.DataverseURL)
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			r := env.do("dv", "GET", "/api/data/v9.2/accounts("+ids[int(i)%len(ids)]+")?$select=name,accountnumber", "")
			if r.status != 200 {
				b.Errorf("status %d", r.status)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}

// BenchmarkDataverseBatch1000 measures $batch requests of one change set with 1000 creates.
func BenchmarkDataverseBatch1000(b *testing.B) {
	env := startEnv(b, Options{DataverseLimits: protection.Limits{Requests: -1, Concurrent: -1, ExecutionTime: -1}})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body := buildBatch("/api/data/v9.2/accounts", 1000, func(j int) string {
			return fmt.Sprintf(`{"name":"bench %d-%d","accountnumber":"B%d-%d"}`, i, j, i, j)
		})
		r := env.do("dv", "POST", "/api/data/v9.2/$batch", body, "Content-Type", "multipart/mixed; boundary=batch_x")
		if r.status != 200 || strings.Contains(string(r.body), "HTTP/1.1 4") {
			b.Fatalf("batch: %d", r.status)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "batches/s")
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "operations/s")
}

// BenchmarkFinOpsReadRow measures single-row reads by composite key.
func BenchmarkFinOpsReadRow(b *testing.B) {
	env := startEnv(b, Options{FinOps: "demo", Rows: 50, FinOpsLimits: protection.Limits{Requests: -1, Concurrent: -1, ExecutionTime: -1}})
	env.token(env.info.FinOpsURL)
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)%50 + 1
			r := env.do("fo", "GET", fmt.Sprintf("/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-%03d')?cross-company=true", i), "")
			if r.status != 200 {
				b.Errorf("status %d", r.status)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}
