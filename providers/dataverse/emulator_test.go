package dataverse_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/hashicorp/go-hclog"

	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/providers/dataverse"
	"github.com/dwctl/dwctl/providers/transport"
)

// One emulator serves every test of the package, over loopback HTTPS; tests use their own rows.
var emu *emulator.Emulator

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dwctl-dataverse-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	emu, err = emulator.Start(context.Background(), emulator.Options{DataDir: dir, FinOps: "demo", Dataverse: "existing",
		Rows: 25, KeyIndexDelay: 100 * time.Millisecond})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	emu.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// waits records the retry delays a client computed, without sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) record(d time.Duration) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return 0
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

func credential(t testing.TB, log hclog.Logger) azcore.TokenCredential {
	t.Helper()
	info := emu.Info()
	cred, err := transport.NewCredential(transport.Auth{Method: transport.AuthClientSecret, TenantID: info.TenantID,
		ClientID: info.ClientID, ClientSecret: info.ClientSecret, AuthorityHost: info.AuthorityURL, CAFile: info.CAFile, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

// client returns a client of the emulator's Dataverse; change adjusts the options.
func client(t testing.TB, change func(*dataverse.Options)) (*dataverse.Client, *waits) {
	t.Helper()
	w := &waits{}
	info := emu.Info()
	o := dataverse.Options{URL: info.DataverseURL, Credential: credential(t, nil), CAFile: info.CAFile,
		Environment: "emulated-dataverse", Retry: transport.RetryOptions{Wait: w.record}}
	if change != nil {
		change(&o)
	}
	c, err := dataverse.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c, w
}

// fault queues faults for the next requests to the emulator's Dataverse listener.
func fault(t testing.TB, next ...string) {
	t.Helper()
	hc, err := transport.NewHTTPClient(emu.Info().CAFile)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"next":["` + strings.Join(next, `","`) + `"]}`
	resp, err := hc.Post(emu.Info().DataverseURL+emulator.FaultsPath, "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("setting faults: %s", resp.Status)
	}
	t.Cleanup(func() {
		req, _ := http.NewRequest(http.MethodDelete, emu.Info().DataverseURL+emulator.FaultsPath, nil)
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
		}
	})
}

var serial atomic.Int64

// unique returns a short value no other test of this run uses (the emulator is fresh per run).
func unique(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, serial.Add(1))
}
