package recording

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
)

// Exchange is one recorded request and its answer. Want holds request
// headers that must be present with these values; Body, when set, must
// appear in the request body. "{host}" in Header values and Reply is
// replaced by the server's base URL.
type Exchange struct {
	Method, Path string // Path is the decoded path and query
	Want         map[string]string
	Body         string
	Status       int
	Header       map[string]string
	Reply        string
}

// Server serves exchanges in order over TLS. CAFile is a PEM file of its
// certificate, for clients that trust only it.
type Server struct {
	*httptest.Server
	CAFile string
}

// Serve starts a server of the exchanges; it fails t on any other request
// and, when the test ends, if not every exchange was requested.
func Serve(t *testing.T, exchanges []Exchange) *Server {
	t.Helper()
	var mu sync.Mutex
	next := 0
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if next >= len(exchanges) {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			w.WriteHeader(http.StatusTeapot)
			return
		}
		next++
		answer(t, next, exchanges[next-1], w, r)
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
	return &Server{Server: srv, CAFile: ca}
}

// answer checks request n against x and writes x's answer.
func answer(t *testing.T, n int, x Exchange, w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := r.URL.Path
	if r.URL.RawQuery != "" {
		q, _ := url.PathUnescape(r.URL.RawQuery)
		path += "?" + q
	}
	if r.Method != x.Method || path != x.Path {
		t.Errorf("request %d = %s %s, want %s %s", n, r.Method, path, x.Method, x.Path)
	}
	for k, v := range x.Want {
		if got := r.Header.Get(k); got != v {
			t.Errorf("request %d header %s = %q, want %q", n, k, got, v)
		}
	}
	if x.Body != "" && !strings.Contains(string(body), x.Body) {
		t.Errorf("request %d body lacks %q:\n%s", n, x.Body, body)
	}
	for k, v := range x.Header {
		w.Header().Set(k, strings.ReplaceAll(v, "{host}", "https://"+r.Host))
	}
	w.WriteHeader(x.Status)
	_, _ = io.WriteString(w, strings.ReplaceAll(x.Reply, "{host}", "https://"+r.Host))
}

// Token is a credential that always returns the same token.
type Token struct{}

// GetToken returns "recorded-token", valid for an hour.
func (Token) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "recorded-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}
