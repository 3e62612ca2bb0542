package protection

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// Limits are the service protection limits of one service, per application user, over a sliding
// window. Zero fields take the documented defaults (Dataverse [D]; F&O's optional user-based limits
// [D], which the emulator keeps on); a negative field turns that limit off.
type Limits struct {
	Requests      int           // requests per window (default 6000)
	Window        time.Duration // sliding window (default 300 s)
	ExecutionTime time.Duration // combined execution time per window (default 1,200 s)
	Concurrent    int           // concurrent requests (default 52)
}

func (l Limits) withDefaults() Limits {
	if l.Requests == 0 {
		l.Requests = 6000
	}
	if l.Window <= 0 {
		l.Window = 300 * time.Second
	}
	if l.ExecutionTime == 0 {
		l.ExecutionTime = 1200 * time.Second
	}
	if l.Concurrent == 0 {
		l.Concurrent = 52
	}
	return l
}

// Throttle says which limit a request exceeded.
type Throttle struct {
	Kind       string // "requests", "time" or "concurrency"
	RetryAfter int    // whole seconds, at least 1
}

type usageEvent struct {
	at  time.Time
	dur time.Duration
}

type usage struct {
	events   []*usageEvent
	inflight int
}

// Totals are what all users asked of a service since the emulator started: requests admitted, the
// execution time charged, and the time integral of the requests in flight (busy divided by a span
// of wall time is the mean concurrency over it).
type Totals struct {
	Requests int64
	Charged  time.Duration
	Busy     time.Duration
}

// Limiter applies Limits per application user. A $batch counts as one request but its whole
// execution time is charged. The execution time is what the caller of release charges: the emulator
// charges a cost model of the request (wire.RequestCost, RowReadCost, RowWriteCost), not its wall time.
type Limiter struct {
	mu       sync.Mutex
	limits   Limits
	now      func() time.Time
	users    map[string]*usage
	totals   Totals
	inflight int       // of all users
	since    time.Time // when inflight last changed
}

func NewLimiter(l Limits, now func() time.Time) *Limiter {
	return &Limiter{limits: l.withDefaults(), now: now, users: map[string]*usage{}}
}

// current returns the limits in force.
func (l *Limiter) Current() Limits {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limits
}

// remaining returns what is left of the request and execution-time budgets of user in the window (the
// Dataverse x-ms-ratelimit-* headers [D]); a limit that is off reports -1 / 0.
func (l *Limiter) Remaining(user string) (int, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	u := l.users[user]
	if u == nil {
		u = &usage{}
	}
	reqs, exec := -1, time.Duration(0)
	if l.limits.Requests > 0 {
		reqs = max(0, l.limits.Requests-len(u.events))
	}
	if l.limits.ExecutionTime > 0 {
		exec = l.limits.ExecutionTime
		for _, e := range u.events {
			exec -= e.dur
		}
		exec = max(0, exec)
	}
	return reqs, exec
}

// acquire admits a request of user or says which limit it hit. On admission the caller must call the
// returned release with the request's execution time.
func (l *Limiter) Acquire(user string) (func(time.Duration), *Throttle) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	u := l.users[user]
	if u == nil {
		u = &usage{}
		l.users[user] = u
	}
	l.expire(u, now)
	if l.limits.Concurrent > 0 && u.inflight >= l.limits.Concurrent {
		return nil, &Throttle{Kind: "concurrency", RetryAfter: 1}
	}
	if l.limits.Requests > 0 && len(u.events) >= l.limits.Requests {
		return nil, &Throttle{Kind: "requests", RetryAfter: seconds(u.events[0].at.Add(l.limits.Window).Sub(now))}
	}
	if t := l.timeExceeded(u, now); t != nil {
		return nil, t
	}
	ev := &usageEvent{at: now}
	u.events = append(u.events, ev)
	u.inflight++
	l.account(now, +1)
	l.totals.Requests++
	return func(d time.Duration) {
		l.mu.Lock()
		defer l.mu.Unlock()
		ev.dur = d
		u.inflight--
		l.account(l.now(), -1)
		l.totals.Charged += d
	}, nil
}

// account moves the count of requests in flight by delta at now, adding the time spent at the old
// count to the busy integral.
func (l *Limiter) account(now time.Time, delta int) {
	if !l.since.IsZero() {
		l.totals.Busy += time.Duration(l.inflight) * now.Sub(l.since)
	}
	l.inflight += delta
	l.since = now
}

// Totals returns what the service was asked since the emulator started.
func (l *Limiter) Totals() Totals {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.totals
	if !l.since.IsZero() {
		t.Busy += time.Duration(l.inflight) * l.now().Sub(l.since)
	}
	return t
}

// timeExceeded checks the combined execution time in the window, and when over the limit computes
// when enough of it leaves the window.
func (l *Limiter) timeExceeded(u *usage, now time.Time) *Throttle {
	if l.limits.ExecutionTime <= 0 {
		return nil
	}
	var total time.Duration
	for _, e := range u.events {
		total += e.dur
	}
	if total <= l.limits.ExecutionTime {
		return nil
	}
	for _, e := range u.events {
		total -= e.dur
		if total <= l.limits.ExecutionTime {
			return &Throttle{Kind: "time", RetryAfter: seconds(e.at.Add(l.limits.Window).Sub(now))}
		}
	}
	return &Throttle{Kind: "time", RetryAfter: seconds(l.limits.Window)}
}

func (l *Limiter) expire(u *usage, now time.Time) {
	cut := 0
	for cut < len(u.events) && !u.events[cut].at.Add(l.limits.Window).After(now) {
		cut++
	}
	if cut > 0 {
		u.events = append(u.events[:0], u.events[cut:]...)
	}
}

func seconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		return 1
	}
	return s
}

// ThrottleError returns the error code and message a service answers for a Throttle [D]; the F&O body
// shape for 429 is not documented [U], so it uses the F&O error shape with an empty code.
func ThrottleError(svc store.Service, t *Throttle, l Limits) (string, string) {
	l = l.withDefaults()
	win := int(l.Window.Seconds())
	if svc == store.FinOps {
		switch t.Kind {
		case "requests":
			return "", fmt.Sprintf("Number of requests exceeded the limit of %d over the time window of %d seconds.", l.Requests, win)
		case "time":
			return "", fmt.Sprintf("Combined execution time of incoming requests exceeded the limit of %d seconds over the time window of %d seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.", int(l.ExecutionTime.Seconds()), win)
		case "concurrency":
			return "", fmt.Sprintf("Number of concurrent requests exceeded the limit of %d.", l.Concurrent)
		}
		return "", "This request could not be processed at this time due to system experiencing high resource utilization."
	}
	switch t.Kind {
	case "time":
		return "0x80072321", fmt.Sprintf("Combined execution time of incoming requests exceeded limit of %s milliseconds over time window of %d seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.", groupThousands(l.ExecutionTime.Milliseconds()), win)
	case "concurrency":
		return "0x80072326", fmt.Sprintf("Number of concurrent requests exceeded the limit of %d.", l.Concurrent)
	}
	return "0x80072322", fmt.Sprintf("Number of requests exceeded the limit of %d over time window of %d seconds.", l.Requests, win)
}

func groupThousands(n int64) string {
	s := fmt.Sprintf("%d", n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Path is the admin endpoint of each data listener for its service protection limits: GET shows
// them, POST {"requests": 100, "window": "60s", "execution_time": "20m", "concurrent": 52} replaces
// them (missing or zero fields take the defaults, negative ones turn a limit off) and forgets the
// usage counted so far. Like FaultsPath it needs no token.
const Path = "/_emulator/limits"

type limitsBody struct {
	Requests      int    `json:"requests"`
	Window        string `json:"window"`
	ExecutionTime string `json:"execution_time"`
	Concurrent    int    `json:"concurrent"`
}

func (l *Limiter) ServeAdmin(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		var b limitsBody
		if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&b); err != nil {
			wire.WriteJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": "", "message": "body: " + err.Error()}})
			return
		}
		lim, err := b.limits()
		if err != nil {
			wire.WriteJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": "", "message": err.Error()}})
			return
		}
		l.mu.Lock()
		l.limits, l.users = lim.withDefaults(), map[string]*usage{}
		l.mu.Unlock()
	default:
		w.Header().Set("Allow", "GET, POST")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	l.mu.Lock()
	cur := l.limits
	l.mu.Unlock()
	wire.WriteJSON(w, http.StatusOK, limitsBody{Requests: cur.Requests, Window: cur.Window.String(), ExecutionTime: cur.ExecutionTime.String(), Concurrent: cur.Concurrent})
}

func (b limitsBody) limits() (Limits, error) {
	l := Limits{Requests: b.Requests, Concurrent: b.Concurrent}
	for _, d := range []struct {
		text string
		into *time.Duration
	}{{b.Window, &l.Window}, {b.ExecutionTime, &l.ExecutionTime}} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		if err != nil {
			return Limits{}, err
		}
		*d.into = v
	}
	return l, nil
}
