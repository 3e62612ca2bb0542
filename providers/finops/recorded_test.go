package finops

import (
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/dwctl/dwctl/providers/transport"
)

// exchange is one recorded request and its answer. Want holds request headers that must be present
// with these values; Body, when set, must appear in the request body.
type exchange struct {
	Method, Path string // Path is the decoded path and query
	Want         map[string]string
	Body         string
	Status       int
	Header       map[string]string
	Reply        string
}

// recorded serves the exchanges in order over TLS and fails the test on any other request.
func recorded(t *testing.T, exchanges []exchange) (*Client, *httptest.Server) {
	t.Helper()
	var mu sync.Mutex
	next := 0
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		if next >= len(exchanges) {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			w.WriteHeader(http.StatusTeapot)
			return
		}
		x := exchanges[next]
		next++
		path := r.URL.Path
		if r.URL.RawQuery != "" {
			q, _ := url.PathUnescape(r.URL.RawQuery)
			path += "?" + q
		}
		if r.Method != x.Method || path != x.Path {
			t.Errorf("request %d = %s %s, want %s %s", next, r.Method, path, x.Method, x.Path)
		}
		for k, v := range x.Want {
			if got := r.Header.Get(k); got != v {
				t.Errorf("request %d header %s = %q, want %q", next, k, got, v)
			}
		}
		if x.Body != "" && !strings.Contains(string(body), x.Body) {
			t.Errorf("request %d body lacks %q:\n%s", next, x.Body, body)
		}
		for k, v := range x.Header {
			w.Header().Set(k, strings.ReplaceAll(v, "{host}", "https://"+r.Host))
		}
		w.WriteHeader(x.Status)
		_, _ = io.WriteString(w, strings.ReplaceAll(x.Reply, "{host}", "https://"+r.Host))
	}))
	t.Cleanup(func() {
		srv.Close()
		if next != len(exchanges) {
			t.Errorf("%d of %d recorded requests were made", next, len(exchanges))
		}
	})
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{URL: srv.URL, Credential: fixedToken{}, CAFile: ca, Environment: "recorded",
		Retry: transport.RetryOptions{Wait: func(time.Duration) time.Duration { return 0 }}})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

type fixedToken struct{}

func (fixedToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "recorded-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}
