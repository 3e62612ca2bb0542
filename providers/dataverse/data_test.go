package dataverse_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/dataverse"
	"github.com/dwctl/dwctl/providers/transport"
)

func TestWhoAmIThroughAzidentity(t *testing.T) {
	c, _ := client(t, nil)
	who, err := c.WhoAmI(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if who.UserID == "" || who.OrganizationID == "" {
		t.Errorf("WhoAmI = %+v", who)
	}
}

func TestWrongAudienceRefused(t *testing.T) {
	c, _ := client(t, func(o *dataverse.Options) { o.Scopes = []string{emu.Info().FinOpsURL + "/.default"} })
	_, err := c.WhoAmI(context.Background())
	if !providers.IsUnauthorized(err) {
		t.Fatalf("error = %v, want 401", err)
	}
}

func TestPagingAcrossPages(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	total, err := c.CountRows(ctx, "accounts", providers.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if total < 9 {
		t.Fatalf("the emulator holds %d accounts; the test needs at least 9", total)
	}
	size := int(total/3) - 1
	pages, seen := 0, map[string]bool{}
	err = c.ListRows(ctx, "accounts", providers.Query{Select: []string{"accountid", "name"}, PageSize: size},
		func(rows []providers.Row) error {
			pages++
			if len(rows) > size {
				t.Errorf("page of %d rows, asked for %d", len(rows), size)
			}
			for _, r := range rows {
				id := r["accountid"].(string)
				if seen[id] {
					t.Errorf("row %s returned twice", id)
				}
				seen[id] = true
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 3 || int64(len(seen)) != total {
		t.Errorf("%d pages, %d rows; want >= 3 pages and %d rows", pages, len(seen), total)
	}
}

func TestListRowsTopAndFilter(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	cases := map[string]struct {
		q    providers.Query
		want int
	}{
		"top within a page":   {q: providers.Query{Top: 2, Select: []string{"name"}}, want: 2},
		"top across pages":    {q: providers.Query{Top: 5, PageSize: 2, Select: []string{"name"}}, want: 5},
		"filter matches none": {q: providers.Query{Filter: "name eq 'no such account'", Select: []string{"name"}}, want: 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			n := 0
			err := c.ListRows(ctx, "accounts", tc.q, func(rows []providers.Row) error { n += len(rows); return nil })
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want {
				t.Errorf("%d rows, want %d", n, tc.want)
			}
		})
	}
}

func currency(code string) providers.Row {
	return providers.Row{"currencyname": "Test " + code, "exchangerate": 1.5, "currencysymbol": "¤"}
}

func TestUpsertCreateThenUpdate(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	code := unique("U")
	key := providers.Key{{Name: "isocurrencycode", Value: code}}
	first, err := c.Upsert(ctx, "transactioncurrencies", key, currency(code), dataverse.Cond{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Upsert(ctx, "transactioncurrencies", key, providers.Row{"currencyname": "Renamed"}, dataverse.Cond{})
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || second.Created || first.ETag == second.ETag {
		t.Errorf("first %+v, second %+v: want created then updated with a new ETag", first, second)
	}
	row, err := c.GetRow(ctx, "transactioncurrencies", key, []string{"currencyname", "isocurrencycode"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{"Renamed", code}, []any{row["currencyname"], row["isocurrencycode"]}); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
	_, err = c.Upsert(ctx, "transactioncurrencies", key, currency(code), dataverse.Cond{IfNoneMatch: "*"})
	if !providers.IsPreconditionFailed(err) {
		t.Errorf("create-only upsert of an existing row: %v, want 412", err)
	}
	missing := providers.Key{{Name: "isocurrencycode", Value: unique("M")}}
	_, err = c.Upsert(ctx, "transactioncurrencies", missing, currency("M"), dataverse.Cond{IfMatch: "*"})
	if !providers.IsNotFound(err) {
		t.Errorf("update-only upsert of a missing row: %v, want 404", err)
	}
}

func TestETagConflict(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	code := unique("E")
	key := providers.Key{{Name: "isocurrencycode", Value: code}}
	if _, err := c.Upsert(ctx, "transactioncurrencies", key, currency(code), dataverse.Cond{}); err != nil {
		t.Fatal(err)
	}
	row, err := c.GetRow(ctx, "transactioncurrencies", key, []string{"currencyname"})
	if err != nil {
		t.Fatal(err)
	}
	stale := row.ETag()
	if _, err := c.Update(ctx, "transactioncurrencies", key, providers.Row{"currencyname": "first"}, stale); err != nil {
		t.Fatal(err)
	}
	_, err = c.Update(ctx, "transactioncurrencies", key, providers.Row{"currencyname": "second"}, stale)
	if !providers.IsPreconditionFailed(err) {
		t.Fatalf("update with a stale ETag: %v, want 412", err)
	}
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Environment != "emulated-dataverse" || pe.Operation != "update" ||
		pe.Table != "transactioncurrencies" || pe.Key != "(isocurrencycode='"+code+"')" || pe.Code == "" {
		t.Errorf("error does not name environment, operation, table, key and code: %#v", pe)
	}
}

func TestDuplicateAlternateKey(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	code := unique("D")
	row := currency(code)
	row["isocurrencycode"] = code
	if _, err := c.Create(ctx, "transactioncurrencies", row); err != nil {
		t.Fatal(err)
	}
	_, err := c.Create(ctx, "transactioncurrencies", row)
	if !providers.IsDuplicateKey(err) || !providers.IsPreconditionFailed(err) {
		t.Fatalf("second create: %v, want a 412 duplicate key", err)
	}
}

func TestChangeSetRolledBackAsAWhole(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	taken, fresh := unique("T"), unique("F")
	if _, err := c.Upsert(ctx, "transactioncurrencies", providers.Key{{Name: "isocurrencycode", Value: taken}}, currency(taken), dataverse.Cond{}); err != nil {
		t.Fatal(err)
	}
	dup := currency(taken)
	dup["isocurrencycode"] = taken
	writes := []providers.Write{
		{Kind: providers.Upsert, Key: providers.Key{{Name: "isocurrencycode", Value: fresh}}, Row: currency(fresh)},
		{Kind: providers.Create, Row: dup},
	}
	res, err := c.WriteRows(ctx, "transactioncurrencies", writes, providers.BatchOptions{Atomic: true})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err == nil || !providers.IsDuplicateKey(res[1].Err) {
		t.Fatalf("results %+v: want both failed, the second as a duplicate key", res)
	}
	n, err := c.CountRows(ctx, "transactioncurrencies", providers.Query{Filter: "isocurrencycode eq '" + fresh + "'"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("the first write of a failed change set was kept")
	}
}

func TestBatchContinueOnError(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	a, b := unique("A"), unique("B")
	writes := []providers.Write{
		{Kind: providers.Upsert, Key: providers.Key{{Name: "isocurrencycode", Value: a}}, Row: currency(a)},
		{Kind: providers.Update, Key: providers.Key{{Name: "isocurrencycode", Value: unique("N")}}, Row: providers.Row{"currencyname": "x"}},
		{Kind: providers.Upsert, Key: providers.Key{{Name: "isocurrencycode", Value: b}}, Row: currency(b)},
	}
	cases := map[string]struct {
		opts   providers.BatchOptions
		ok     []bool
		status []int
	}{
		"continue on error": {opts: providers.BatchOptions{ContinueOnError: true}, ok: []bool{true, false, true}, status: []int{201, 404, 201}},
		"stop at failure":   {opts: providers.BatchOptions{}, ok: []bool{true, false, false}, status: []int{200, 404, 0}},
	}
	for _, name := range []string{"continue on error", "stop at failure"} {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			res, err := c.WriteRows(ctx, "transactioncurrencies", writes, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var ok []bool
			var status []int
			for _, r := range res {
				ok = append(ok, r.Err == nil)
				status = append(status, r.Status)
			}
			if diff := cmp.Diff([]any{tc.ok, tc.status}, []any{ok, status}); diff != "" {
				t.Errorf("results (-want +got):\n%s\n%+v", diff, res)
			}
		})
	}
}

func TestThrottledRequestWaitsRetryAfter(t *testing.T) {
	c, w := client(t, nil)
	if _, err := c.WhoAmI(context.Background()); err != nil { // token first, so the fault hits the data call
		t.Fatal(err)
	}
	fault(t, "429", "429")
	if _, err := c.WhoAmI(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, time.Second}, w.all()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestDroppedConnection(t *testing.T) {
	// Each case uses a fresh client, so the dropped connection is a new one: net/http itself replays a
	// GET whose reused keep-alive connection was closed, and the test is about the client's own retry.
	ctx := context.Background()
	c, w := client(t, nil)
	fault(t, "drop")
	if _, err := c.CountRows(ctx, "transactioncurrencies", providers.Query{}); err != nil {
		t.Fatalf("a read after a dropped connection: %v", err)
	}
	if len(w.all()) != 1 {
		t.Errorf("waits %v, want one retry", w.all())
	}
	c, _ = client(t, nil)
	fault(t, "drop")
	code := unique("P")
	row := currency(code)
	row["isocurrencycode"] = code
	_, err := c.Create(ctx, "transactioncurrencies", row)
	if !errors.Is(err, transport.ErrOutcomeUnknown) {
		t.Fatalf("a create on a dropped connection: %v, want ErrOutcomeUnknown (never resent)", err)
	}
}

// TestUpsertByKeyWithCompany upserts accounts by the integration key of Customers V3: the account
// number and the company lookup, as accounts(accountnumber='A1',_msdyn_company_value=…).
func TestUpsertByKeyWithCompany(t *testing.T) {
	c, _ := client(t, nil)
	ctx := context.Background()
	code := unique("K")
	res, err := c.Create(ctx, "cdm_companies", providers.Row{"cdm_companycode": code, "cdm_name": "Key test " + code})
	if err != nil {
		t.Fatal(err)
	}
	company := dataverseID(t, res.EntityID)
	key := providers.Key{{Name: "accountnumber", Value: "A1"}, {Name: "_msdyn_company_value", Value: company}}
	first, err := c.Upsert(ctx, "accounts", key, providers.Row{"name": "Contoso Retail"}, dataverse.Cond{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Upsert(ctx, "accounts", key, providers.Row{"name": "Contoso Retail Renamed"}, dataverse.Cond{})
	if err != nil {
		t.Fatal(err)
	}
	row, err := c.GetRow(ctx, "accounts", key, []string{"name", "_msdyn_company_value"})
	if err != nil {
		t.Fatal(err)
	}
	got := []any{first.Created, second.Created, row["name"], row["_msdyn_company_value"]}
	if diff := cmp.Diff([]any{true, false, "Contoso Retail Renamed", string(company)}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
