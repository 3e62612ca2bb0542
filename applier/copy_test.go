package applier_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/applier"
	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/providers"
	"github.com/google/go-cmp/cmp"
)

// dwctlMode makes the quickstart's customers map copy its rows itself.
func dwctlMode(src string) string {
	return strings.Replace(src, "    master  = \"finops\"\n  }\n\n  filter {", "    master  = \"finops\"\n    mode    = \"dwctl\"\n  }\n\n  filter {", 1)
}

// TestCopyMasterWins gives Dataverse a row with the key of an F&O customer
// but other values just before the dwctl-mode copy: the copy updates that
// row (F&O is the master) instead of adding a second one, and creates the
// others.
func TestCopyMasterWins(t *testing.T) {
	p := openQuickstart(t, dwctlMode)
	b := p.local()
	plan, st := p.plan(b)
	pr := p.conns.Pairs["main"]
	var message string
	ap := p.applier(b, applier.Options{Events: func(e applier.Event) {
		switch {
		case e.Type == applier.EventActionStart && e.ID == "initial_sync.table_map.customers:initial_sync":
			p.dataverseAccount(pr, "US-001", "Stale name")
		case e.Type == applier.EventActionDone && e.ID == "initial_sync.table_map.customers:initial_sync":
			message = e.Message
		}
	}})
	if _, err := ap.Apply(p.ctx, nil, plan, st); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(message, "to Dataverse: 2 created, 1 updated") {
		t.Errorf("copy summary %q, want 2 created and 1 updated", message)
	}
	names := map[string][]string{}
	err := pr.Dataverse.ListRows(p.ctx, "accounts", providers.Query{Select: []string{"accountnumber", "name"}}, func(rows []providers.Row) error {
		for _, r := range rows {
			n := mapping.Text(r["accountnumber"])
			names[n] = append(names[n], mapping.Text(r["name"]))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := names["US-001"]; len(got) != 1 || got[0] == "Stale name" {
		t.Errorf("accounts US-001: %v, want one row with the F&O name", got)
	}
}

// dataverseAccount creates an account of USMF in Dataverse.
func (p *pair) dataverseAccount(pr applier.Pair, number, name string) {
	companies, err := pr.Dataverse.Companies(p.ctx)
	if err != nil {
		p.t.Fatal(err)
	}
	var usmf providers.GUID
	for _, c := range companies {
		if strings.EqualFold(c.Code, "USMF") {
			usmf = c.ID
		}
	}
	res, err := pr.Dataverse.WriteRows(p.ctx, "accounts", []providers.Write{{Kind: providers.Create, Row: providers.Row{
		"accountnumber": number, "name": name, "customertypecode": 3, "msdyn_company@odata.bind": "/cdm_companies(" + string(usmf) + ")"}}},
		providers.BatchOptions{})
	if err != nil || res[0].Err != nil {
		p.t.Fatalf("create account %s: %v %v", number, err, res)
	}
}

// TestCopyUnderThrottling answers a quarter of the Dataverse requests of a
// dwctl-mode copy with 429: every row arrives exactly once.
func TestCopyUnderThrottling(t *testing.T) {
	p := openQuickstart(t, dwctlMode)
	b := p.local()
	plan, st := p.plan(b)
	pr := p.conns.Pairs["main"]
	dv := p.conns.Emulator("quickstart").Info().DataverseURL
	ap := p.applier(b, applier.Options{BatchSize: 1, Events: func(e applier.Event) {
		if e.ID == "initial_sync.table_map.customers:initial_sync" {
			switch e.Type {
			case applier.EventActionStart:
				p.faults(dv, `{"spec": "429:0.25,seed:7,retry-after:0"}`)
			case applier.EventActionDone:
				p.faults(dv, `{"spec": ""}`)
			}
		}
	}})
	if _, err := ap.Apply(p.ctx, nil, plan, st); err != nil {
		t.Fatal(err)
	}
	var numbers []string
	err := pr.Dataverse.ListRows(p.ctx, "accounts", providers.Query{Select: []string{"accountnumber"}, Filter: "startswith(accountnumber,'US-')"},
		func(rows []providers.Row) error {
			for _, r := range rows {
				numbers = append(numbers, mapping.Text(r["accountnumber"]))
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(numbers)
	if diff := cmp.Diff([]string{"US-001", "US-002", "US-003"}, numbers); diff != "" {
		t.Errorf("accounts copied from F&O (-want +got):\n%s", diff)
	}
}
