package dualwrite_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/dualwrite"
	"github.com/dwctl/dwctl/providers/transport"
)

// queueFaults makes the emulator's control listener answer the next requests with faults.
func queueFaults(t *testing.T, e *emulator.Emulator, kinds ...string) {
	t.Helper()
	hc, err := transport.NewHTTPClient(e.Info().CAFile)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"next":["` + strings.Join(kinds, `","`) + `"]}`
	resp, err := hc.Post(e.Info().ControlURL+emulator.FaultsPath, "application/json", strings.NewReader(body))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("queueing faults: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestTransientFaults checks that reads are retried through 503s and dropped connections, and
// that a Start, which is not safe to repeat, is not.
func TestTransientFaults(t *testing.T) {
	e := startEmulator(t, "")
	info := e.Info()
	cred, err := transport.NewCredential(transport.Auth{Method: transport.AuthClientSecret, TenantID: info.TenantID,
		ClientID: info.ClientID, ClientSecret: info.ClientSecret, AuthorityHost: info.AuthorityURL, CAFile: info.CAFile})
	if err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	c, err := dualwrite.New(dualwrite.Options{Gateway: info.ControlURL, FinOpsEnvironment: info.FinOpsURL, Credential: cred, CAFile: info.CAFile,
		Retry: transport.RetryOptions{Wait: func(d time.Duration) time.Duration { waits = append(waits, d); return 0 }}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	link := mustLink(t, c, e, "USMF")

	queueFaults(t, e, "503", "drop")
	maps, err := c.Maps(ctx, link)
	// net/http itself repeats a GET whose reused connection was dropped; the 503 waits in the retry policy.
	if err != nil || len(maps) == 0 || len(waits) == 0 {
		t.Fatalf("Maps through a 503 and a dropped connection: %d maps, %v, %d retries", len(maps), err, len(waits))
	}
	retried := len(waits)
	queueFaults(t, e, "503")
	_, err = c.Act(ctx, link, providers.ActionInitialize, maps[:1], providers.ActionOptions{})
	wantStatus(t, err, http.StatusServiceUnavailable, "")
	if len(waits) != retried {
		t.Fatalf("Start was retried (%d waits)", len(waits))
	}
}
