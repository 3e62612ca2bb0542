package dataverse

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/dwctl/dwctl/providers/recording"
	"github.com/dwctl/dwctl/providers/transport"
)

// exchange is one recorded request and its answer.
type exchange = recording.Exchange

// recorded serves the exchanges in order over TLS and returns a client of
// that server; any other request fails the test.
func recorded(t *testing.T, exchanges []exchange) (*Client, *httptest.Server) {
	t.Helper()
	srv := recording.Serve(t, exchanges)
	c, err := New(Options{URL: srv.URL, Credential: recording.Token{}, CAFile: srv.CAFile, Environment: "recorded",
		Retry: transport.RetryOptions{Wait: func(time.Duration) time.Duration { return 0 }}})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv.Server
}
