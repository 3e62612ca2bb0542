package finops_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/providers"
)

func TestTablesMetadata(t *testing.T) {
	c, _ := client(t, nil)
	tables, err := c.Tables(context.Background(), []string{"CustomersV3", "CustomerGroups"})
	if err != nil {
		t.Fatal(err)
	}
	cust := tables[0]
	if cust.EntitySetName != "CustomersV3" || len(cust.Keys) != 1 {
		t.Fatalf("CustomersV3 = %+v", cust)
	}
	if diff := cmp.Diff([]string{"dataAreaId", "CustomerAccount"}, cust.Keys[0].Columns); diff != "" {
		t.Errorf("key (-want +got):\n%s", diff)
	}
	group, _ := cust.Column("CustomerGroupId")
	if !group.Required {
		t.Errorf("CustomerGroupId = %+v, want required", group)
	}
	mandatory, _ := cust.Column("CreditLimitIsMandatory")
	if diff := cmp.Diff([]providers.Option{{Value: 0, Label: "No"}, {Value: 1, Label: "Yes"}}, mandatory.Options); diff != "" {
		t.Errorf("NoYes options (-want +got):\n%s", diff)
	}
	_, err = c.Tables(context.Background(), []string{"NoSuchEntities"})
	if !providers.IsNotFound(err) {
		t.Errorf("unknown entity: %v, want 404", err)
	}
}

func TestNumberSequences(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	seq := providers.NumberSequence{Code: unique("Acco_"), ScopeType: "DataArea", ScopeValue: "USMF", Name: "Customer accounts",
		Format: "F####", Smallest: 1, Largest: 4999, Next: 1}
	created, err := c.PutNumberSequence(ctx, seq)
	if err != nil {
		t.Fatal(err)
	}
	seq.Largest, seq.Next = 3999, 42
	again, err := c.PutNumberSequence(ctx, seq)
	if err != nil {
		t.Fatal(err)
	}
	if !created || again {
		t.Errorf("created %v then %v; want true then false", created, again)
	}
	got, err := c.NumberSequences(ctx, "NumberSequenceCode eq '"+seq.Code+"'")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d sequences", len(got))
	}
	got[0].ETag, got[0].InUse = "", false
	if diff := cmp.Diff(seq, got[0]); diff != "" {
		t.Errorf("sequence (-want +got):\n%s", diff)
	}
	all, err := c.NumberSequences(ctx, "")
	if err != nil || len(all) < 2 {
		t.Errorf("all sequences: %d, %v", len(all), err)
	}
}

func TestProjectConfigurations(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	name := unique("DWM-")
	if _, err := c.Create(ctx, "DualWriteProjectConfigurations", providers.Row{"ProjectName": name, "InternalEntityName": "Customers V3",
		"ExternalEntityName": "accounts", "ExternalEnvironmentUrl": "https://contoso.crm.dynamics.com", "Status": "Enabled"}); err != nil {
		t.Fatal(err)
	}
	pcs, err := c.ProjectConfigurations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, pc := range pcs {
		if pc.ProjectName == name {
			if pc.Status != "Enabled" || pc.ExternalEnvironmentURL != "https://contoso.crm.dynamics.com" {
				t.Errorf("configuration = %+v", pc)
			}
			return
		}
	}
	t.Errorf("%s not listed", name)
}
