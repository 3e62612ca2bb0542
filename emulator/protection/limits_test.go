package protection

import (
	"strings"
	"testing"
	"time"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/google/go-cmp/cmp"
)

func TestLimiter(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	l := NewLimiter(Limits{Requests: 100, Window: 10 * time.Second, ExecutionTime: 3 * time.Second, Concurrent: 2}, func() time.Time { return now })
	r1, _ := l.Acquire("app")
	r2, _ := l.Acquire("app")
	_, th := l.Acquire("app")
	var got []string
	got = append(got, th.Kind)
	r1(2 * time.Second)
	r2(2 * time.Second)
	_, th = l.Acquire("app")
	got = append(got, th.Kind, strings.Repeat("s", th.RetryAfter))
	now = now.Add(11 * time.Second)
	release, th := l.Acquire("app")
	got = append(got, strings.TrimSpace(strings.Repeat("ok", boolInt(th == nil))))
	release(0)
	if diff := cmp.Diff([]string{"concurrency", "time", "ssssssssss", "ok"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestThrottleMessages checks the default limit messages against protocols.md §2.12 and §5.6.
func TestThrottleMessages(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		svc        store.Service
		kind       string
		code, text string
	}{
		"dataverse requests":    {store.Dataverse, "requests", "0x80072322", "Number of requests exceeded the limit of 6000 over time window of 300 seconds."},
		"dataverse time":        {store.Dataverse, "time", "0x80072321", "Combined execution time of incoming requests exceeded limit of 1,200,000 milliseconds over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later."},
		"dataverse concurrency": {store.Dataverse, "concurrency", "0x80072326", "Number of concurrent requests exceeded the limit of 52."},
		"finops requests":       {store.FinOps, "requests", "", "Number of requests exceeded the limit of 6000 over the time window of 300 seconds."},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, text := ThrottleError(tc.svc, &Throttle{Kind: tc.kind}, Limits{})
			if diff := cmp.Diff([]string{tc.code, tc.text}, []string{code, text}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
