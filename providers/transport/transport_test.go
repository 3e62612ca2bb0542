package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
)

func TestCheckURL(t *testing.T) {
	cases := map[string]struct {
		url string
		ok  bool
	}{
		"https":               {"https://contoso.crm.dynamics.com", true},
		"https with path":     {"https://contoso.operations.dynamics.com/data/", true},
		"http loopback v4":    {"http://127.0.0.1:8080", true},
		"http loopback v6":    {"http://[::1]:8080", true},
		"http localhost":      {"http://localhost:1", true},
		"http remote":         {"http://contoso.crm.dynamics.com", false},
		"http private":        {"http://10.0.0.1", false},
		"ftp":                 {"ftp://127.0.0.1", false},
		"user info":           {"https://user:pass@contoso.crm.dynamics.com", false},
		"no host":             {"https:///x", false},
		"localhost lookalike": {"http://localhost.evil.com", false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := CheckURL(tc.url)
			if (err == nil) != tc.ok {
				t.Fatalf("CheckURL(%q) error = %v, want ok %v", tc.url, err, tc.ok)
			}
			if err != nil && strings.Contains(err.Error(), "pass") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	cases := map[string]struct {
		in   string
		want time.Duration
		ok   bool
	}{
		"seconds":  {"38", 38 * time.Second, true},
		"zero":     {"0", 0, true},
		"spaces":   {" 2 ", 2 * time.Second, true},
		"past":     {"Mon, 02 Jan 2006 15:04:05 GMT", 0, true},
		"empty":    {"", 0, false},
		"negative": {"-1", 0, false},
		"junk":     {"soon", 0, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, ok := ParseRetryAfter(tc.in)
			if diff := cmp.Diff([]any{tc.want, tc.ok}, []any{got, ok}); diff != "" {
				t.Errorf("ParseRetryAfter (-want +got):\n%s", diff)
			}
		})
	}
}

// step is one scripted answer: a status (with Retry-After when set) or a dropped connection.
type step struct {
	status     int
	retryAfter string
	drop       bool
	// stall sends the headers and part of the body, then waits until the client gives up.
	stall bool
	// body replaces the answer's body.
	body string
}

func script(t *testing.T, steps []step, calls *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(calls.Add(1)) - 1
		s := step{status: http.StatusOK}
		if n < len(steps) {
			s = steps[n]
		}
		if s.drop {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.Close()
			return
		}
		if s.retryAfter != "" {
			w.Header().Set("Retry-After", s.retryAfter)
		}
		w.WriteHeader(s.status)
		if s.stall {
			_, _ = io.Copy(io.Discard, r.Body) // so that the server notices when the client goes away
			_, _ = w.Write([]byte(`{"value":[`))
			w.(http.Flusher).Flush()
			// Hold the answer well past the client's deadline: the client must give up first.
			time.Sleep(3 * time.Second)
			return
		}
		if s.body != "" {
			_, _ = w.Write([]byte(s.body))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	})
}

func TestRetries(t *testing.T) {
	ca := newTestCA(t)
	cases := map[string]struct {
		method     string
		repeatable bool
		steps      []step
		calls      int
		status     int
		waits      []time.Duration
		outcome    bool   // ErrOutcomeUnknown expected
		err        string // an error containing this expected
	}{
		"429 honours Retry-After": {
			method: "POST", steps: []step{{status: 429, retryAfter: "7"}, {status: 429, retryAfter: "1"}},
			calls: 3, status: 200, waits: []time.Duration{7 * time.Second, time.Second},
		},
		"503 and 502 on GET retried":  {method: "GET", steps: []step{{status: 503}, {status: 502}}, calls: 3, status: 200},
		"504 on DELETE retried":       {method: "DELETE", steps: []step{{status: 504}}, calls: 2, status: 200},
		"503 on POST not retried":     {method: "POST", steps: []step{{status: 503}}, calls: 1, status: 503},
		"503 on repeatable POST":      {method: "POST", repeatable: true, steps: []step{{status: 503}}, calls: 2, status: 200},
		"500 never retried":           {method: "GET", steps: []step{{status: 500}}, calls: 1, status: 500},
		"dropped connection on GET":   {method: "GET", steps: []step{{drop: true}}, calls: 2, status: 200},
		"dropped connection on PATCH": {method: "PATCH", steps: []step{{drop: true}}, calls: 1, outcome: true},
		"dropped on repeatable PATCH": {method: "PATCH", repeatable: true, steps: []step{{drop: true}}, calls: 2, status: 200},
		"429 retries run out":         {method: "GET", steps: []step{{status: 429, retryAfter: "1"}, {status: 429, retryAfter: "1"}, {status: 429, retryAfter: "1"}}, calls: 3, status: 429},
		"Retry-After past the limit":  {method: "GET", steps: []step{{status: 429, retryAfter: "600"}}, calls: 1, err: "asks to wait 10m0s"},
		"stalled body on GET retried": {method: "GET", steps: []step{{status: 200, stall: true}}, calls: 2, status: 200},
		"stalled body on POST":        {method: "POST", steps: []step{{status: 200, stall: true}}, calls: 1, outcome: true},
		"body past the limit":         {method: "GET", steps: []step{{status: 200, body: strings.Repeat("x", 2048)}}, calls: 1, err: "larger than"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var calls atomic.Int32
			srv := ca.serve(t, script(t, tc.steps, &calls))
			var waits []time.Duration
			p, err := New(Options{BaseURL: srv.URL + "/data/", Credential: staticCredential{"tok"}, CAFile: ca.file,
				Limits: Limits{ResponseTimeout: 1500 * time.Millisecond, MaxBody: 1024},
				Retry: RetryOptions{MaxRetries: 2, Wait: func(d time.Duration) time.Duration {
					if d >= time.Second {
						waits = append(waits, d)
					}
					return 0
				}}})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := p.Do(context.Background(), Request{Method: tc.method, URL: "x", Body: []byte(`{}`), Repeatable: tc.repeatable})
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want one containing %q", err, tc.err)
				}
			case tc.outcome:
				if !errors.Is(err, ErrOutcomeUnknown) {
					t.Fatalf("error = %v, want ErrOutcomeUnknown", err)
				}
			case err != nil:
				t.Fatal(err)
			case resp.Status != tc.status:
				t.Errorf("status = %d, want %d", resp.Status, tc.status)
			}
			if got := int(calls.Load()); got != tc.calls {
				t.Errorf("calls = %d, want %d", got, tc.calls)
			}
			if tc.waits != nil {
				if diff := cmp.Diff(tc.waits, waits); diff != "" {
					t.Errorf("waits (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestTLSTrustsOnlyTheGivenCA(t *testing.T) {
	trusted, other := newTestCA(t), newTestCA(t)
	var calls atomic.Int32
	srv := trusted.serve(t, script(t, nil, &calls))
	cases := map[string]struct {
		ca string
		ok bool
	}{
		"its own CA":        {trusted.file, true},
		"another CA":        {other.file, false},
		"system roots only": {"", false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := New(Options{BaseURL: srv.URL, Credential: staticCredential{"tok"}, CAFile: tc.ca,
				Retry: RetryOptions{Wait: func(time.Duration) time.Duration { return 0 }}})
			if err != nil {
				t.Fatal(err)
			}
			before := calls.Load()
			_, err = p.Do(context.Background(), Request{Method: "GET", URL: "x"})
			if (err == nil) != tc.ok {
				t.Fatalf("error = %v, want ok %v", err, tc.ok)
			}
			if !tc.ok && calls.Load() != before {
				t.Errorf("a request reached the server over an untrusted connection")
			}
		})
	}
}

func TestResolveStaysOnHost(t *testing.T) {
	p, err := New(Options{BaseURL: "https://contoso.crm.dynamics.com/api/data/v9.2/", Credential: staticCredential{"tok"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		ref, want string
		ok        bool
	}{
		"relative":      {"accounts?$top=1", "https://contoso.crm.dynamics.com/api/data/v9.2/accounts?$top=1", true},
		"absolute path": {"/Metadata/PublicEntities", "https://contoso.crm.dynamics.com/Metadata/PublicEntities", true},
		"next link":     {"https://contoso.crm.dynamics.com/api/data/v9.2/accounts?$skiptoken=x", "https://contoso.crm.dynamics.com/api/data/v9.2/accounts?$skiptoken=x", true},
		"other host":    {"https://evil.example.com/api/data/v9.2/accounts", "", false},
		"downgrade":     {"http://contoso.crm.dynamics.com/api/data/v9.2/accounts", "", false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			u, err := p.Resolve(tc.ref)
			if (err == nil) != tc.ok {
				t.Fatalf("error = %v, want ok %v", err, tc.ok)
			}
			if err == nil && u.String() != tc.want {
				t.Errorf("Resolve = %s, want %s", u, tc.want)
			}
		})
	}
}

func TestBearerTokenSentButNeverLogged(t *testing.T) {
	ca := newTestCA(t)
	const token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-token-value"
	var got string
	srv := ca.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Authorization")
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusOK)
	}))
	var buf bytes.Buffer
	log := hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: &buf})
	p, err := New(Options{BaseURL: srv.URL, Credential: staticCredential{token}, CAFile: ca.file, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Do(context.Background(), Request{Method: "GET", URL: "x", Header: http.Header{"Prefer": {"odata.maxpagesize=2"}}}); err != nil {
		t.Fatal(err)
	}
	if got != "Bearer "+token {
		t.Errorf("Authorization = %q", got)
	}
	if strings.Contains(buf.String(), "secret-token-value") {
		t.Errorf("the token reached the log:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "odata.maxpagesize=2") || !strings.Contains(buf.String(), "Authorization") {
		t.Errorf("trace log lacks the request headers:\n%s", buf.String())
	}
}

type failingCredential struct{}

func (failingCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, errors.New("no token today")
}

func TestTokenFailureIsNotAnUnknownOutcome(t *testing.T) {
	ca := newTestCA(t)
	var calls atomic.Int32
	srv := ca.serve(t, script(t, nil, &calls))
	p, err := New(Options{BaseURL: srv.URL, Credential: failingCredential{}, CAFile: ca.file})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Do(context.Background(), Request{Method: "POST", URL: "x", Body: []byte("{}")})
	if err == nil || errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "no token today") {
		t.Errorf("error = %v, want the credential's error and no unknown outcome", err)
	}
	if calls.Load() != 0 {
		t.Errorf("a request without a token reached the server")
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"38", "0", "Mon, 02 Jan 2006 15:04:05 GMT", "-1", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseRetryAfter(s)
		if d < 0 || !ok && d != 0 || d > 24*time.Hour {
			t.Fatalf("ParseRetryAfter(%q) = %v, %v", s, d, ok)
		}
	})
}

// TestRedirectsStayOnHost: a redirect to another host is refused, so neither the token nor the body
// follows it; one on the same host is followed.
func TestRedirectsStayOnHost(t *testing.T) {
	ca := newTestCA(t)
	var elsewhere atomic.Int32
	other := ca.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	srv := ca.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/data/away":
			http.Redirect(w, r, other.URL+"/data/x", http.StatusFound)
		case "/data/here":
			http.Redirect(w, r, "/data/there", http.StatusFound)
		default:
			_, _ = w.Write([]byte(`{}`))
		}
	}))
	p, err := New(Options{BaseURL: srv.URL + "/data/", Credential: staticCredential{"tok"}, CAFile: ca.file, Retry: RetryOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Do(context.Background(), Request{Method: "GET", URL: "away"}); err == nil || !strings.Contains(err.Error(), "refusing a redirect") {
		t.Errorf("redirect to another host: %v", err)
	}
	if elsewhere.Load() != 0 {
		t.Errorf("the other host got %d requests", elsewhere.Load())
	}
	if resp, err := p.Do(context.Background(), Request{Method: "GET", URL: "here"}); err != nil || resp.Status != 200 {
		t.Errorf("redirect on the same host: %v, %v", resp, err)
	}
}

func TestUserAgentNamesTheVersion(t *testing.T) {
	ca := newTestCA(t)
	var ua atomic.Value
	srv := ca.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ua.Store(r.UserAgent()) }))
	SetVersion("1.2.3")
	t.Cleanup(func() { SetVersion("") })
	p, err := New(Options{BaseURL: srv.URL + "/data/", Credential: staticCredential{"tok"}, CAFile: ca.file})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Do(context.Background(), Request{Method: "GET", URL: "x"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := ua.Load().(string); !strings.Contains(got, "dwctl/1.2.3") {
		t.Errorf("User-Agent = %q, want it to name dwctl/1.2.3", got)
	}
}
