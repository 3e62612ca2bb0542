package dataverse_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/dataverse"
)

func TestTablesMetadata(t *testing.T) {
	c, _ := client(t, nil)
	tables, err := c.Tables(context.Background(), []string{"account", "transactioncurrency"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 2 {
		t.Fatalf("%d tables", len(tables))
	}
	account := tables[0]
	if account.EntitySetName != "accounts" || account.PrimaryID != "accountid" {
		t.Errorf("account = %s/%s", account.EntitySetName, account.PrimaryID)
	}
	name, _ := account.Column("name")
	if !name.Required || name.Type != "String" || name.MaxLength != 160 {
		t.Errorf("name column = %+v", name)
	}
	ctc, _ := account.Column("customertypecode")
	if ctc.Type != "Picklist" || len(ctc.Options) < 3 || ctc.Options[2] != (providers.Option{Value: 3, Label: "Customer"}) {
		t.Errorf("customertypecode = %+v", ctc)
	}
	group, _ := account.Column("msdyn_customergroupid")
	if diff := cmp.Diff([]string{"msdyn_customergroup"}, group.Targets); diff != "" {
		t.Errorf("lookup targets (-want +got):\n%s", diff)
	}
	var key providers.AlternateKey
	for _, k := range account.Keys {
		if k.SchemaName == "msdyn_AccountNumberCompanyKey" {
			key = k
		}
	}
	if diff := cmp.Diff([]any{[]string{"accountnumber", "msdyn_company"}, providers.KeyActive}, []any{key.Columns, key.Status}); diff != "" {
		t.Errorf("account key (-want +got):\n%s", diff)
	}
	_, err = c.Tables(context.Background(), []string{"no_such_table"})
	if !providers.IsNotFound(err) {
		t.Errorf("unknown table: %v, want 404", err)
	}
}

func TestAlternateKeyLifecycle(t *testing.T) {
	c, _ := client(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	key, err := c.CreateAlternateKey(ctx, "uom", providers.AlternateKey{SchemaName: "new_UomNameKey", DisplayName: "Unit name", Columns: []string{"name"}})
	if err != nil {
		t.Fatal(err)
	}
	if key.ID == "" || key.Status == providers.KeyActive {
		t.Errorf("new key = %+v, want an id and an index not yet built", key)
	}
	// The index is built in the background; poll as dwctl does (the emulator takes 100 ms here).
	for key.Status != providers.KeyActive {
		if key.Status == providers.KeyFailed {
			t.Fatalf("index failed: %+v", key)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("key still %s", key.Status)
		case <-time.After(50 * time.Millisecond):
		}
		keys, err := c.AlternateKeys(ctx, "uom")
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if k.ID == key.ID {
				key = k
			}
		}
	}
	if err := c.DeleteAlternateKey(ctx, "uom", key.ID); err != nil {
		t.Fatal(err)
	}
	keys, err := c.AlternateKeys(ctx, "uom")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.ID == key.ID {
			t.Errorf("key still listed after delete")
		}
	}
}

func TestAutoNumber(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	if err := c.SetAutoNumberFormat(ctx, "contact", "msdyn_partynumber", "CNR-{SEQNUM:4}"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetAutoNumberSeed(ctx, "contact", "msdyn_partynumber", 5000); err != nil {
		t.Fatal(err)
	}
	an, err := c.AutoNumber(ctx, "contact", "msdyn_partynumber")
	if err != nil {
		t.Fatal(err)
	}
	want := providers.AutoNumber{Table: "contact", Column: "msdyn_partynumber", Format: "CNR-{SEQNUM:4}", Next: 5000}
	if diff := cmp.Diff(want, an); diff != "" {
		t.Errorf("AutoNumber (-want +got):\n%s", diff)
	}
	res, err := c.Create(ctx, "contacts", providers.Row{"lastname": "Autonumbered"})
	if err != nil {
		t.Fatal(err)
	}
	row, err := c.GetRow(ctx, "contacts", providers.Key{{Value: dataverseID(t, res.EntityID)}}, []string{"msdyn_partynumber"})
	if err != nil {
		t.Fatal(err)
	}
	if row["msdyn_partynumber"] != "CNR-5000" {
		t.Errorf("generated number = %v, want CNR-5000", row["msdyn_partynumber"])
	}
}

func dataverseID(t *testing.T, entityID string) providers.GUID {
	t.Helper()
	i, j := strings.LastIndexByte(entityID, '('), strings.LastIndexByte(entityID, ')')
	if i < 0 || j < i {
		t.Fatalf("OData-EntityId %q", entityID)
	}
	return providers.GUID(entityID[i+1 : j])
}

func TestDualWriteArtefacts(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	code := unique("C")
	if _, err := c.Create(ctx, "cdm_companies", providers.Row{"cdm_companycode": code, "cdm_name": "Company " + code}); err != nil {
		t.Fatal(err)
	}
	companies, err := c.Companies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, co := range companies {
		found = found || co.Code == code && co.Name == "Company "+code && co.ID != ""
	}
	if !found {
		t.Errorf("company %s not listed in %+v", code, companies)
	}
	mapping := `{"name":"customers","legs":[{"sourceSchema":"Customers V3","destinationSchema":"accounts"}]}`
	if _, err := c.Create(ctx, "msdyn_dualwriteentitymaps", providers.Row{"msdyn_name": "dwctl_[accounts - Customers V3]",
		"msdyn_version": "1.0.0.1", "msdyn_mapping": mapping}); err != nil {
		t.Fatal(err)
	}
	maps, err := c.EntityMaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(maps) == 0 || string(maps[len(maps)-1].Mapping) == "" {
		t.Fatalf("maps = %+v", maps)
	}
	unsecure := `{"SourceEntityName":"accounts","DestinationEntityName":"CustomersV3","EntityMapVersion":{"Major":1,"Minor":0,"Build":0,"Revision":12}}`
	if _, err := c.Create(ctx, "msdyn_dualwriteruntimeconfigs", providers.Row{"msdyn_name": "rc", "msdyn_unsecure": unsecure}); err != nil {
		t.Fatal(err)
	}
	rcs, err := c.RuntimeConfigs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rcs) == 0 || rcs[0].Version != (providers.MapVersion{Major: 1, Revision: 12}) || rcs[0].Source != "accounts" {
		t.Errorf("runtime configs = %+v", rcs)
	}
}

// TestTraceLogsHoldNoSecret runs an authenticated exchange with every logger at trace level and checks
// that neither the client secret nor the access token reaches a log line.
func TestTraceLogsHoldNoSecret(t *testing.T) {
	var buf bytes.Buffer
	log := hclog.New(&hclog.LoggerOptions{Name: "dwctl", Level: hclog.Trace, Output: &buf})
	cred := credential(t, log.Named("auth"))
	info := emu.Info()
	c, err := dataverse.New(dataverse.Options{URL: info.DataverseURL, Credential: cred, CAFile: info.CAFile, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.WhoAmI(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Upsert(ctx, "transactioncurrencies", providers.Key{{Name: "isocurrencycode", Value: unique("L")}},
		currency("L"), dataverse.Cond{}); err != nil {
		t.Fatal(err)
	}
	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{info.DataverseURL + "/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	if !strings.Contains(logs, "authority response") || !strings.Contains(logs, "WhoAmI") {
		t.Fatalf("the trace log misses the exchange:\n%s", logs)
	}
	for what, secret := range map[string]string{"client secret": info.ClientSecret, "access token": tok.Token} {
		if secret == "" || strings.Contains(logs, secret) {
			t.Errorf("the %s appears in the trace log", what)
		}
		// A JWT's signature alone would be as bad as the whole token.
		if parts := strings.Split(secret, "."); len(parts) == 3 && strings.Contains(logs, parts[2]) {
			t.Errorf("the %s signature appears in the trace log", what)
		}
	}
}
