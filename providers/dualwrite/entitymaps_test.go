package dualwrite_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/dataverse"
	"github.com/dwctl/dwctl/providers/transport"
)

// TestEntityMapsAgreeWithTheGateway checks that the msdyn_dualwriteentitymaps rows the emulator
// keeps in Dataverse (one per version, named by the template id) decode to the definitions the
// control plane serves, so a Live snapshot read from either agrees.
func TestEntityMapsAgreeWithTheGateway(t *testing.T) {
	e := startEmulator(t, "")
	c := gateway(t, e)
	ctx := context.Background()
	link := mustLink(t, c, e, "USMF")
	info := e.Info()
	cred, err := transport.NewCredential(transport.Auth{Method: transport.AuthClientSecret, TenantID: info.TenantID,
		ClientID: info.ClientID, ClientSecret: info.ClientSecret, AuthorityHost: info.AuthorityURL, CAFile: info.CAFile})
	if err != nil {
		t.Fatal(err)
	}
	dv, err := dataverse.New(dataverse.Options{URL: info.DataverseURL, Credential: cred, CAFile: info.CAFile})
	if err != nil {
		t.Fatal(err)
	}
	maps, _ := c.Maps(ctx, link)
	def, _ := c.MapDefinition(ctx, link, mapNamed(t, maps, "Customers V3 (accounts)").TemplateID)
	if _, err := c.SaveVersion(ctx, link, mapNamed(t, maps, "Customers V3 (accounts)"), def, "contoso", "2.0.0.0"); err != nil {
		t.Fatal(err)
	}
	ems, err := dv.EntityMaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*providers.MapDefinition{}
	for _, em := range ems {
		if d, ok := live.DecodeMapping(em.Mapping); ok {
			byID[strings.ToLower(string(em.ID))] = d
		}
	}
	maps, _ = c.Maps(ctx, link)
	versions := 0
	for _, m := range maps {
		for _, v := range m.Versions {
			versions++
			want, err := c.MapDefinition(ctx, link, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := byID[strings.ToLower(v.ID)]
			if !ok {
				t.Fatalf("%s version %s has no entity map row", m.DisplayName, v.Version)
			}
			if diff := cmp.Diff(want, *got); diff != "" {
				t.Errorf("%s %s: entity map row vs gateway (-gateway +row):\n%s", m.DisplayName, v.Version, diff)
			}
		}
	}
	if len(ems) != versions {
		t.Errorf("%d entity map rows for %d versions", len(ems), versions)
	}
}
