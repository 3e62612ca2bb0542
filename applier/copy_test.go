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

// withBootstrap gives USMF's company-less Dataverse contacts the company.
func withBootstrap(src string) string {
	return strings.Replace(src, "  name = \"Contoso Entertainment System USA\"\n}",
		"  name = \"Contoso Entertainment System USA\"\n  bootstrap {\n    tables = [\"contact\"]\n  }\n}", 1)
}

// TestDataUnderLostAnswers carries out a share of the data operations' writes and then drops their
// answers ("applied, answer lost", the case that makes naive retries duplicate rows) on both sides,
// during a dwctl-mode copy and a bootstrap: every row arrives exactly once with the master's values,
// every company-less contact gets its company, and the next plan has nothing left to do.
func TestDataUnderLostAnswers(t *testing.T) {
	p := openQuickstart(t, dwctlMode, withBootstrap)
	b := p.local()
	plan, st := p.plan(b)
	pr := p.conns.Pairs["main"]
	info := p.conns.Emulator("quickstart").Info()
	var lost []string
	ap := p.applier(b, applier.Options{BatchSize: 1, Parallelism: 1, Events: func(e applier.Event) {
		if !strings.HasPrefix(e.ID, "initial_sync.") && !strings.HasPrefix(e.ID, "bootstrap.") {
			return
		}
		switch e.Type {
		case applier.EventActionStart:
			lost = append(lost, e.ID)
			for _, base := range []string{info.DataverseURL, info.FinOpsURL} {
				p.faults(base, `{"spec": "lost:0.3,seed:5"}`)
			}
		case applier.EventActionDone:
			for _, base := range []string{info.DataverseURL, info.FinOpsURL} {
				p.faults(base, `{"spec": ""}`)
			}
		}
	}})
	if _, err := ap.Apply(p.ctx, nil, plan, st); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(lost, "initial_sync.table_map.customers:initial_sync") || !slices.Contains(lost, "bootstrap.company.USMF:bootstrap") {
		t.Fatalf("data operations under faults: %v, want the customers' copy and USMF's bootstrap among them", lost)
	}
	names := map[string][]string{}
	err := pr.Dataverse.ListRows(p.ctx, "accounts", providers.Query{Select: []string{"accountnumber", "name"}, Filter: "startswith(accountnumber,'US-')"},
		func(rows []providers.Row) error {
			for _, r := range rows {
				n := mapping.Text(r["accountnumber"])
				names[n] = append(names[n], mapping.Text(r["name"]))
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	var foNames = map[string]string{}
	err = pr.FinOps.ListRows(p.ctx, "CustomersV3", providers.Query{Select: []string{"CustomerAccount", "OrganizationName"}, Company: "USMF"},
		func(rows []providers.Row) error {
			for _, r := range rows {
				foNames[mapping.Text(r["CustomerAccount"])] = mapping.Text(r["OrganizationName"])
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"US-001", "US-002", "US-003"} {
		if got := names[n]; len(got) != 1 || got[0] != foNames[n] {
			t.Errorf("account %s: %v, want exactly one with the F&O name %q", n, got, foNames[n])
		}
	}
	if len(names) != 3 {
		t.Errorf("accounts copied: %v, want US-001 to US-003", names)
	}
	missing := 0
	err = pr.Dataverse.ListRows(p.ctx, "contacts", providers.Query{Select: []string{"contactid"}, Filter: "_msdyn_company_value eq null"},
		func(rows []providers.Row) error { missing += len(rows); return nil })
	if err != nil || missing != 0 {
		t.Errorf("%d contacts without a company after the bootstrap (%v)", missing, err)
	}
	if again, _ := p.plan(b); !again.IsEmpty() {
		t.Errorf("the next plan finds %d actions: %v", len(again.Actions), again.Actions[0].ID)
	}
}
