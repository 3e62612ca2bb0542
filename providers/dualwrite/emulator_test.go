package dualwrite_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/dualwrite"
	"github.com/dwctl/dwctl/providers/transport"
)

// startEmulator starts an emulator with demo data in a temporary directory.
func startEmulator(t testing.TB, dir string) *emulator.Emulator {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	e, err := emulator.Start(context.Background(), emulator.Options{DataDir: dir, FinOps: "demo", Dataverse: "existing", Rows: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// gateway returns a client of the emulator's control plane, authenticated through azidentity
// against the emulator's authority for the gateway's scope.
func gateway(t testing.TB, e *emulator.Emulator) *dualwrite.Client {
	t.Helper()
	info := e.Info()
	cred, err := transport.NewCredential(transport.Auth{Method: transport.AuthClientSecret, TenantID: info.TenantID,
		ClientID: info.ClientID, ClientSecret: info.ClientSecret, AuthorityHost: info.AuthorityURL, CAFile: info.CAFile})
	if err != nil {
		t.Fatal(err)
	}
	c, err := dualwrite.New(dualwrite.Options{Gateway: info.ControlURL, FinOpsEnvironment: info.FinOpsURL, Credential: cred,
		CAFile: info.CAFile, Poll: dualwrite.PollOptions{Interval: time.Millisecond, MaxInterval: 2 * time.Millisecond, Timeout: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mapNamed(t testing.TB, maps []providers.Map, name string) providers.Map {
	t.Helper()
	for _, m := range maps {
		if m.DisplayName == name {
			return m
		}
	}
	t.Fatalf("no map %q", name)
	return providers.Map{}
}

func mustLink(t testing.TB, c *dualwrite.Client, e *emulator.Emulator, companies ...string) providers.LinkInfo {
	t.Helper()
	link, err := c.CreateLink(context.Background(), providers.LinkRequest{DataverseEnvironment: e.Info().DataverseURL, LegalEntities: companies})
	if err != nil {
		t.Fatal(err)
	}
	return link
}

// act runs one action on maps and waits for it.
func act(t testing.TB, c *dualwrite.Client, link providers.LinkInfo, a providers.MapAction, opts providers.ActionOptions, maps ...providers.Map) (providers.Request, error) {
	t.Helper()
	id, err := c.Act(context.Background(), link, a, maps, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c.Wait(context.Background(), link, id)
}

func wantStatus(t testing.TB, err error, status int, text string) {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Status != status || !strings.Contains(pe.Message, text) {
		t.Fatalf("error = %v, want %d with %q", err, status, text)
	}
}
