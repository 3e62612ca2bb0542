package finops_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/finops"
	"github.com/dwctl/dwctl/providers/transport"
)

func TestLegalEntities(t *testing.T) {
	c, _ := client(t, nil)
	les, err := c.LegalEntities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, le := range les {
		codes[strings.ToUpper(le.Code)] = le.Name
	}
	if codes["USMF"] != "Contoso Entertainment System USA" || codes["DAT"] == "" {
		t.Errorf("legal entities = %+v", les)
	}
}

func TestWrongAudienceRefused(t *testing.T) {
	c, _ := client(t, func(o *finops.Options) { o.Scopes = []string{emu.Info().DataverseURL + "/.default"} })
	_, err := c.LegalEntities(context.Background())
	if !providers.IsUnauthorized(err) {
		t.Fatalf("a Dataverse token on F&O: %v, want 401", err)
	}
}

func TestServerDrivenPagingAcrossCompanies(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	total, err := c.CountRows(ctx, "CustomersV3", providers.Query{AllCompanies: true})
	if err != nil {
		t.Fatal(err)
	}
	pages, rows, companies := 0, map[string]bool{}, map[string]bool{}
	err = c.ListRows(ctx, "CustomersV3", providers.Query{Select: []string{"dataAreaId", "CustomerAccount"}, AllCompanies: true}, func(page []providers.Row) error {
		pages++
		for _, r := range page {
			k := r["dataAreaId"].(string) + "/" + r["CustomerAccount"].(string)
			if rows[k] {
				t.Errorf("row %s returned twice", k)
			}
			rows[k] = true
			companies[r["dataAreaId"].(string)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 3 || int64(len(rows)) != total || len(companies) < 2 {
		t.Errorf("%d pages, %d rows of %d companies; count says %d", pages, len(rows), len(companies), total)
	}
}

func TestCompanyScopedQuery(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	var rows []providers.Row
	err := c.ListRows(ctx, "CustomersV3", providers.Query{Company: "USMF", Select: []string{"dataAreaId", "CustomerAccount"}},
		func(page []providers.Row) error { rows = append(rows, page...); return nil })
	if err != nil {
		t.Fatal(err)
	}
	n, err := c.CountRows(ctx, "CustomersV3", providers.Query{Company: "USMF"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || int64(len(rows)) != n {
		t.Fatalf("%d rows, count %d", len(rows), n)
	}
	for _, r := range rows {
		if !strings.EqualFold(r["dataAreaId"].(string), "usmf") {
			t.Errorf("row of company %v in a USMF query", r["dataAreaId"])
		}
	}
	got, err := c.GetRow(ctx, "CustomersV3", providers.Key{{Name: "dataAreaId", Value: "usmf"},
		{Name: "CustomerAccount", Value: rows[0]["CustomerAccount"]}}, []string{"CustomerAccount", "CustomerGroupId"})
	if err != nil {
		t.Fatalf("read by composite key outside the default company: %v", err)
	}
	if got["CustomerAccount"] != rows[0]["CustomerAccount"] {
		t.Errorf("GetRow = %v", got)
	}
}

func group(id string) providers.Key {
	return providers.Key{{Name: "dataAreaId", Value: "usmf"}, {Name: "CustomerGroupId", Value: id}}
}

func TestUpsertCreateThenUpdate(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	id := unique("G")
	created, err := c.Upsert(ctx, "CustomerGroups", group(id), providers.Row{"Description": "first"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Upsert(ctx, "CustomerGroups", group(id), providers.Row{"Description": "second"})
	if err != nil {
		t.Fatal(err)
	}
	if !created || again {
		t.Errorf("created %v then %v; want true then false", created, again)
	}
	row, err := c.GetRow(ctx, "CustomerGroups", group(id), []string{"Description"})
	if err != nil {
		t.Fatal(err)
	}
	if row["Description"] != "second" {
		t.Errorf("Description = %v", row["Description"])
	}
}

func TestBatchUpsertsResolveExistence(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	old, fresh := unique("O"), unique("N")
	if _, err := c.Upsert(ctx, "CustomerGroups", group(old), providers.Row{"Description": "old"}); err != nil {
		t.Fatal(err)
	}
	res, err := c.WriteRows(ctx, "CustomerGroups", []providers.Write{
		{Kind: providers.Upsert, Key: group(old), Row: providers.Row{"Description": "updated"}},
		{Kind: providers.Upsert, Key: group(fresh), Row: providers.Row{"Description": "new"}},
	}, providers.BatchOptions{Atomic: true})
	if err != nil {
		t.Fatal(err)
	}
	type short struct {
		Created bool
		Err     bool
	}
	got := []short{{res[0].Created, res[0].Err != nil}, {res[1].Created, res[1].Err != nil}}
	if diff := cmp.Diff([]short{{false, false}, {true, false}}, got); diff != "" {
		t.Errorf("results (-want +got):\n%s\n%+v", diff, res)
	}
}

func TestETagConflict(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	id := unique("E")
	if _, err := c.Upsert(ctx, "CustomerGroups", group(id), providers.Row{"Description": "v1"}); err != nil {
		t.Fatal(err)
	}
	row, err := c.GetRow(ctx, "CustomerGroups", group(id), []string{"Description"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Update(ctx, "CustomerGroups", group(id), providers.Row{"Description": "v2"}, row.ETag()); err != nil {
		t.Fatal(err)
	}
	err = c.Update(ctx, "CustomerGroups", group(id), providers.Row{"Description": "v3"}, row.ETag())
	if !providers.IsPreconditionFailed(err) {
		t.Fatalf("update with a stale ETag: %v, want 412", err)
	}
}

func TestDuplicateKeyIsAxODataWriteException(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	id := unique("D")
	row := providers.Row{"dataAreaId": "usmf", "CustomerGroupId": id, "Description": "dup"}
	if _, err := c.Create(ctx, "CustomerGroups", row); err != nil {
		t.Fatal(err)
	}
	_, err := c.Create(ctx, "CustomerGroups", row)
	var pe *providers.Error
	if !errors.As(err, &pe) || !providers.IsDuplicateKey(err) || pe.Status != 500 || !strings.Contains(pe.Detail, "AxODataWriteException") {
		t.Fatalf("duplicate create: %v, want a 500 AxODataWriteException naming the duplicate", err)
	}
	if pe.Environment != "emulated-finops" || pe.Operation != "create" || pe.Table != "CustomerGroups" {
		t.Errorf("error does not name environment, operation and table: %#v", pe)
	}
}

func TestChangeSetRolledBackAsAWhole(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	taken, fresh := unique("T"), unique("F")
	if _, err := c.Upsert(ctx, "CustomerGroups", group(taken), providers.Row{"Description": "taken"}); err != nil {
		t.Fatal(err)
	}
	res, err := c.WriteRows(ctx, "CustomerGroups", []providers.Write{
		{Kind: providers.Create, Row: providers.Row{"dataAreaId": "usmf", "CustomerGroupId": fresh, "Description": "fresh"}},
		{Kind: providers.Create, Row: providers.Row{"dataAreaId": "usmf", "CustomerGroupId": taken, "Description": "dup"}},
	}, providers.BatchOptions{Atomic: true})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err == nil || !providers.IsDuplicateKey(res[1].Err) {
		t.Fatalf("results %+v: want both failed, the second as a duplicate", res)
	}
	_, err = c.GetRow(ctx, "CustomerGroups", group(fresh), nil)
	if !providers.IsNotFound(err) {
		t.Errorf("the first create of a failed change set was kept: %v", err)
	}
}

func TestThrottledRequestWaitsRetryAfter(t *testing.T) {
	c, w := client(t, nil)
	ctx := context.Background()
	if _, err := c.LegalEntities(ctx); err != nil {
		t.Fatal(err)
	}
	fault(t, "429")
	if _, err := c.LegalEntities(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{time.Second}, w.all()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestDroppedConnection(t *testing.T) {
	// Each case uses a fresh client, so the dropped connection is a new one: net/http itself replays a
	// GET whose reused keep-alive connection was closed, and the test is about the client's own retry.
	ctx := context.Background()
	c, w := client(t, nil)
	fault(t, "drop")
	if _, err := c.LegalEntities(ctx); err != nil {
		t.Fatalf("a read after a dropped connection: %v", err)
	}
	if len(w.all()) != 1 {
		t.Errorf("waits %v, want one retry", w.all())
	}
	c, _ = client(t, nil)
	fault(t, "drop")
	_, err := c.Create(ctx, "CustomerGroups", providers.Row{"dataAreaId": "usmf", "CustomerGroupId": unique("P")})
	if !errors.Is(err, transport.ErrOutcomeUnknown) {
		t.Fatalf("a create on a dropped connection: %v, want ErrOutcomeUnknown", err)
	}
}

// TestLostAnswerOfACreate: the emulator creates the row and loses the answer. The client looks
// before creating again (F&O creates are not idempotent): the row exists once, with the values
// sent, and the write reports it created — for one upsert and for a batch.
func TestLostAnswerOfACreate(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	one := unique("L")
	fault(t, "none", "lost") // the existence read passes, the create's answer is lost
	created, err := c.Upsert(ctx, "CustomerGroups", group(one), providers.Row{"Description": "once"})
	if err != nil || !created {
		t.Fatalf("Upsert = %v, %v; want created", created, err)
	}
	if left := pendingFaults(t); len(left) != 0 {
		t.Fatalf("faults %v were not used: the lost answer was never exercised", left)
	}
	a, b := unique("M"), unique("N")
	fault(t, "none", "lost")
	res, err := c.WriteRows(ctx, "CustomerGroups", []providers.Write{
		{Kind: providers.Upsert, Key: group(a), Row: providers.Row{"Description": "first"}},
		{Kind: providers.Upsert, Key: group(b), Row: providers.Row{"Description": "second"}},
	}, providers.BatchOptions{})
	if err != nil || len(res) != 2 || !res[0].Created || !res[1].Created || res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("WriteRows = %+v, %v; want both created", res, err)
	}
	for id, want := range map[string]string{one: "once", a: "first", b: "second"} {
		var rows []providers.Row
		err := c.ListRows(ctx, "CustomerGroups", providers.Query{Filter: "CustomerGroupId eq '" + id + "'", Select: []string{"Description"}, AllCompanies: true},
			func(page []providers.Row) error { rows = append(rows, page...); return nil })
		if err != nil || len(rows) != 1 || rows[0]["Description"] != want {
			t.Errorf("group %s: %v rows %v; want one with %q", id, err, rows, want)
		}
	}
}

// pendingFaults lists the queued faults the emulator's F&O listener has not used yet.
func pendingFaults(t *testing.T) []string {
	t.Helper()
	hc, err := transport.NewHTTPClient(emu.Info().CAFile)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Get(emu.Info().FinOpsURL + emulator.FaultsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct{ Next []string }
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st.Next
}
