package faults

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dwctl/dwctl/emulator/wire"
)

// Path is the admin endpoint every listener serves for fault injection (Injector.ServeAdmin). It needs
// no token: it exists for tests and demos on loopback.
const Path = "/_emulator/faults"

// Spec is a parsed fault specification (Options.Faults and the admin endpoint). Its text form is a
// comma-separated list of items:
//
//	STATUS:RATE     answer with HTTP STATUS (400-599) at probability RATE (0..1); 429 carries Retry-After
//	drop:RATE       close the connection without an answer at probability RATE
//	lost:RATE       carry the request out, then close the connection without its answer (a write
//	                applied whose answer was lost) at probability RATE
//	latency:DUR     add DUR (a Go duration, e.g. 50ms) before every request is handled
//	seed:N          seed of the fault random generator (default 1), so runs are repeatable
//	retry-after:N   seconds sent in Retry-After of injected 429s (default 1)
//
// Example: "503:0.1,429:0.05,drop:0.02,latency:20ms,seed:7".
type Spec struct {
	Rates      []Rate
	Latency    time.Duration
	Seed       int64
	RetryAfter int
}

// Rate is one STATUS:RATE or drop:RATE item of a Spec.
type Rate struct {
	Kind string // an HTTP status code as text, "drop" or "lost"
	Rate float64
}

// Parse parses the text form of a Spec.
func Parse(spec string) (Spec, error) {
	fs := Spec{Seed: 1, RetryAfter: 1}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, val, ok := strings.Cut(item, ":")
		if !ok {
			return Spec{}, fmt.Errorf("fault %q: want NAME:VALUE", item)
		}
		if err := fs.set(strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(val)); err != nil {
			return Spec{}, fmt.Errorf("fault %q: %w", item, err)
		}
	}
	return fs, nil
}

func (fs *Spec) set(name, val string) error {
	var err error
	switch name {
	case "latency":
		fs.Latency, err = time.ParseDuration(val)
	case "seed":
		fs.Seed, err = strconv.ParseInt(val, 10, 64)
	case "retry-after":
		fs.RetryAfter, err = strconv.Atoi(val)
	default:
		if err := validFaultKind(name); err != nil {
			return err
		}
		rate, perr := strconv.ParseFloat(val, 64)
		if perr != nil || rate < 0 || rate > 1 {
			return fmt.Errorf("rate must be a number between 0 and 1")
		}
		fs.Rates = append(fs.Rates, Rate{Kind: name, Rate: rate})
	}
	return err
}

func validFaultKind(kind string) error {
	if kind == "drop" || kind == "lost" || kind == "none" {
		return nil
	}
	code, err := strconv.Atoi(kind)
	if err != nil || code < 400 || code > 599 {
		return fmt.Errorf("unknown fault %q: want an HTTP status 400-599, drop, lost, latency, seed or retry-after", kind)
	}
	return nil
}

// String renders the spec in its text form.
func (fs Spec) String() string {
	var parts []string
	for _, r := range fs.Rates {
		parts = append(parts, r.Kind+":"+strconv.FormatFloat(r.Rate, 'g', -1, 64))
	}
	if fs.Latency > 0 {
		parts = append(parts, "latency:"+fs.Latency.String())
	}
	parts = append(parts, "seed:"+strconv.FormatInt(fs.Seed, 10), "retry-after:"+strconv.Itoa(fs.RetryAfter))
	return strings.Join(parts, ",")
}

// Injector decides, per request, whether to inject a fault. Forced faults (the "next" queue) come
// first, in order; then the random rates, drawn from a generator seeded by the spec.
type Injector struct {
	mu   sync.Mutex
	spec Spec
	rng  *rand.Rand
	next []string
}

func NewInjector(spec Spec) *Injector {
	return &Injector{spec: spec, rng: rand.New(rand.NewSource(spec.Seed))}
}

// decide returns the latency to add and the fault to inject ("" for none).
func (f *Injector) Decide() (time.Duration, string, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.next) > 0 {
		kind := f.next[0]
		f.next = f.next[1:]
		if kind == "none" {
			kind = ""
		}
		return f.spec.Latency, kind, f.spec.RetryAfter
	}
	if len(f.spec.Rates) == 0 {
		return f.spec.Latency, "", 0
	}
	x := f.rng.Float64()
	for _, r := range f.spec.Rates {
		if x < r.Rate {
			return f.spec.Latency, r.Kind, f.spec.RetryAfter
		}
		x -= r.Rate
	}
	return f.spec.Latency, "", 0
}

// faultRequest is the body of POST /_emulator/faults.
type faultRequest struct {
	Spec *string  `json:"spec"`
	Next []string `json:"next"`
}

// faultState is the answer of GET /_emulator/faults.
type faultState struct {
	Spec string   `json:"spec"`
	Next []string `json:"next"`
}

// ServeAdmin serves /_emulator/faults: GET shows, POST sets {"spec": "...", "next": ["429", "drop"]}
// (the spec replaces the current one when given; next faults are appended, "none" letting one request
// through, so ["none", "none", "429"] fails the third request), DELETE clears everything.
func (f *Injector) ServeAdmin(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodDelete:
		f.mu.Lock()
		f.spec, f.next = Spec{Seed: 1, RetryAfter: 1}, nil
		f.rng = rand.New(rand.NewSource(1))
		f.mu.Unlock()
	case http.MethodPost:
		if err := f.apply(r); err != nil {
			wire.WriteJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": "", "message": err.Error()}})
			return
		}
	default:
		w.Header().Set("Allow", "GET, POST, DELETE")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	f.mu.Lock()
	st := faultState{Spec: f.spec.String(), Next: append([]string{}, f.next...)}
	f.mu.Unlock()
	wire.WriteJSON(w, http.StatusOK, st)
}

func (f *Injector) apply(r *http.Request) error {
	var req faultRequest
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&req); err != nil {
		return fmt.Errorf("body: %w", err)
	}
	for _, k := range req.Next {
		if err := validFaultKind(k); err != nil {
			return err
		}
	}
	var spec Spec
	if req.Spec != nil {
		var err error
		if spec, err = Parse(*req.Spec); err != nil {
			return err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if req.Spec != nil {
		f.spec, f.rng = spec, rand.New(rand.NewSource(spec.Seed))
	}
	f.next = append(f.next, req.Next...)
	return nil
}
