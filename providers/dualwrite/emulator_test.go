package dualwrite_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/dataverse"
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

func credential(t testing.TB, e *emulator.Emulator) transport.Auth {
	info := e.Info()
	return transport.Auth{Method: transport.AuthClientSecret, TenantID: info.TenantID,
		ClientID: info.ClientID, ClientSecret: info.ClientSecret, AuthorityHost: info.AuthorityURL, CAFile: info.CAFile}
}

// saveVersion saves def as a version of the map named name the documented way: a
// msdyn_dualwriteentitymap row in an unmanaged solution of the publisher (over the Dataverse Web
// API), then Apply solution. It returns the new version as Entities lists it.
func saveVersion(t testing.TB, e *emulator.Emulator, c *dualwrite.Client, link providers.LinkInfo, name string, def providers.MapDefinition, publisher, version string) (providers.MapTemplate, error) {
	t.Helper()
	ctx := context.Background()
	dv := dataverseClient(t, e)
	doc, err := live.EncodeMapping(name, def)
	if err != nil {
		t.Fatal(err)
	}
	sol := providers.SolutionSpec{UniqueName: publisher + "_maps", FriendlyName: publisher + " maps", Publisher: publisher,
		PublisherName: publisher, Prefix: publisher, OptionValuePrefix: 12345}
	if _, err := dv.SaveEntityMap(ctx, sol, providers.EntityMap{Name: publisher + "_[" + name + "]", DisplayName: name, Version: version, Mapping: doc}); err != nil {
		return providers.MapTemplate{}, err
	}
	if err := c.ApplySolution(ctx, link, sol.UniqueName); err != nil {
		return providers.MapTemplate{}, err
	}
	maps, err := c.Maps(ctx, link)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range maps {
		for _, v := range m.Versions {
			if v.Version == version && v.Author == publisher && (m.DisplayName == name || m.DataverseEntitySet == def.DataverseEntitySet) {
				return v, nil
			}
		}
	}
	t.Fatalf("no version %s by %s of %s after Apply solution", version, publisher, name)
	return providers.MapTemplate{}, nil
}

// dataverseClient is a Web API client of the emulator's Dataverse.
func dataverseClient(t testing.TB, e *emulator.Emulator) *dataverse.Client {
	t.Helper()
	cred, err := transport.NewCredential(credential(t, e))
	if err != nil {
		t.Fatal(err)
	}
	dv, err := dataverse.New(dataverse.Options{URL: e.Info().DataverseURL, Credential: cred, CAFile: e.Info().CAFile})
	if err != nil {
		t.Fatal(err)
	}
	return dv
}

// addMaps adds n maps on the customer groups' tables, each with its own Dataverse filter, through
// one solution and one Apply solution.
func addMaps(t testing.TB, e *emulator.Emulator, c *dualwrite.Client, link providers.LinkInfo, n int) {
	t.Helper()
	ctx := context.Background()
	dv := dataverseClient(t, e)
	sol := providers.SolutionSpec{UniqueName: "bulk_maps", FriendlyName: "bulk", Publisher: "bulk", PublisherName: "bulk", Prefix: "bulk", OptionValuePrefix: 12346}
	for i := range n {
		name := fmt.Sprintf("msdyn_customergroups - Customer groups %03d", i)
		def := providers.MapDefinition{FinOpsEntity: "CustomerGroups", DataverseEntitySet: "msdyn_customergroups",
			DataverseFilter: fmt.Sprintf("msdyn_groupid eq 'G%03d'", i),
			Fields:          []providers.FieldMapping{{FinOps: "CustomerGroupId", Dataverse: "msdyn_groupid", Direction: providers.Bidirectional}}}
		doc, err := live.EncodeMapping(name, def)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dv.SaveEntityMap(ctx, sol, providers.EntityMap{Name: "bulk_[" + name + "]", DisplayName: name, Version: "1.0.0.1", Mapping: doc}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.ApplySolution(ctx, link, sol.UniqueName); err != nil {
		t.Fatal(err)
	}
}

// details reads the link's companies, keys and alerts.
func details(t testing.TB, c *dualwrite.Client, link providers.LinkInfo) providers.LinkDetails {
	t.Helper()
	d, err := c.Details(context.Background(), link)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// gateway returns a client of the emulator's control plane, authenticated through azidentity
// against the emulator's authority for the gateway's scope.
func gateway(t testing.TB, e *emulator.Emulator) *dualwrite.Client {
	t.Helper()
	info := e.Info()
	cred, err := transport.NewCredential(credential(t, e))
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
