package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// largeConfig writes a configuration of n table maps of 30 fields each on one link of an embedded
// emulator: the shape of a large estate.
func largeConfig(b *testing.B, n int) string {
	dir := b.TempDir()
	var src strings.Builder
	src.WriteString(`environment "finops" "fo" { url = "emulator://large" }
environment "dataverse" "ce" { url = "emulator://large" }
link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
`)
	for i := range n {
		fmt.Fprintf(&src, "table_map \"m%d\" {\n  link      = link.main\n  finops    = \"CustomersV3\"\n  dataverse = \"accounts\"\n  state     = \"stopped\"\n", i)
		fmt.Fprintf(&src, "  filter { finops = \"((CustomerAccount == \\\"B%05d\\\"))\" }\n", i)
		for f := range 30 {
			fmt.Fprintf(&src, "  field \"FIELD%02d\" \"column%02d\" {}\n", f, f)
		}
		src.WriteString("}\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkPlanLarge runs dwctl validate and dwctl plan (against a new emulated pair: every map is
// to create) on 5,000 maps of 30 fields and reports the process's CPU time and peak memory.
func BenchmarkPlanLarge(b *testing.B) {
	binary(b) // built before anything is measured
	for _, n := range []int{5000} {
		dir := largeConfig(b, n)
		for _, cmd := range []string{"validate", "plan"} {
			b.Run(fmt.Sprintf("maps=%d/%s", n, cmd), func(b *testing.B) {
				var cpu time.Duration
				var peak int64
				for range b.N {
					r, usage := dwctlUsage(b, dir, cmd)
					if r.status != 0 && !(cmd == "plan" && r.status == 2) {
						b.Fatalf("%s: status %d\n%s", cmd, r.status, r.stderr)
					}
					cpu, peak = usage, r.maxRSS
				}
				b.ReportMetric(cpu.Seconds(), "cpu-s")
				b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
			})
		}
	}
}

// dwctlUsage runs the binary and returns its result and the CPU time it used.
func dwctlUsage(b *testing.B, dir string, args ...string) (result, time.Duration) {
	before := childCPU()
	r := dwctl(b, dir, args...)
	return r, childCPU() - before
}

// childCPU is the CPU time of the finished child processes so far.
func childCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
