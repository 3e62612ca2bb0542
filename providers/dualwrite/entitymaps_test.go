package dualwrite_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/live"
	"github.com/dwctl/dwctl/providers"
)

// TestEntityMapsAgreeWithTheGateway checks that the msdyn_dualwriteentitymaps rows the emulator
// keeps in Dataverse (one per version) decode to the definitions the control plane serves for the
// active versions ({pid}/FieldMappings), also for a version saved through a solution, so a Live
// snapshot read from either agrees.
func TestEntityMapsAgreeWithTheGateway(t *testing.T) {
	e := startEmulator(t, "")
	c := gateway(t, e)
	ctx := context.Background()
	link := mustLink(t, c, e, "USMF")
	maps, _ := c.Maps(ctx, link)
	customers := mapNamed(t, maps, "accounts - Customers V3")
	if _, err := act(t, c, link, providers.ActionInitialize, providers.ActionOptions{}, maps...); err != nil {
		t.Fatal(err)
	}
	maps, _ = c.Maps(ctx, link)
	def, err := c.MapDefinition(ctx, link, mapNamed(t, maps, customers.DisplayName))
	if err != nil {
		t.Fatal(err)
	}
	def.DataverseFilter = "customertypecode eq 3 and name ne null"
	tmpl, err := saveVersion(t, e, c, link, customers.DisplayName, def, "contoso", "2.0.0.0")
	if err != nil {
		t.Fatal(err)
	}
	maps, _ = c.Maps(ctx, link)
	if err := c.SwitchVersion(ctx, link, mapNamed(t, maps, customers.DisplayName), tmpl.ID); err != nil {
		t.Fatal(err)
	}
	ems, err := dataverseClient(t, e).EntityMaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows := live.NewVersionRows(ems)
	maps, _ = c.Maps(ctx, link)
	versions := 0
	for _, m := range maps {
		versions += len(m.Versions)
		want, err := c.MapDefinition(ctx, link, m)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := rows.Definition(m, m.Active)
		if !ok {
			t.Fatalf("%s version %s has no entity map row", m.DisplayName, m.Active.Version)
		}
		if diff := cmp.Diff(want, *got); diff != "" {
			t.Errorf("%s %s: entity map row vs gateway (-gateway +row):\n%s", m.DisplayName, m.Active.Version, diff)
		}
	}
	if len(ems) != versions {
		t.Errorf("%d entity map rows for %d versions", len(ems), versions)
	}
}
