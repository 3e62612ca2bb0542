package planner

import (
	"sort"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/providers"
	"github.com/google/go-cmp/cmp"
)

func liveTables() *Live {
	l := baseLive()
	l.FinOpsTables = map[string]providers.Table{
		"customersv3": {LogicalName: "CustCustomerV3Entity", EntitySetName: "CustomersV3", Columns: []providers.Column{
			{Name: "dataAreaId", Type: "String", Required: true, IsKey: true}, {Name: "CustomerAccount", Type: "String", Required: true},
			{Name: "OrganizationName", Type: "String"}, {Name: "OnHoldStatus", Type: "Enum"}, {Name: "PartyType", Type: "Enum"}}},
		"currencies": {LogicalName: "Currency", EntitySetName: "Currencies", Columns: []providers.Column{
			{Name: "CurrencyCode", Type: "String", Required: true}}},
	}
	l.DataverseTables = map[string]providers.Table{
		"account": {LogicalName: "account", EntitySetName: "accounts", PrimaryID: "accountid", Columns: []providers.Column{
			{Name: "accountid", Type: "Uniqueidentifier", Required: true}, {Name: "accountnumber", Type: "String"},
			{Name: "name", Type: "String", Required: true}, {Name: "msdyn_onholdstatus", Type: "Picklist"},
			{Name: "msdyn_company", Type: "Lookup", Required: true, Targets: []string{"cdm_company"}}, {Name: "ownerid", Type: "Owner", Required: true},
			{Name: "customertypecode", Type: "Picklist"}},
			Keys: []providers.AlternateKey{{Columns: []string{"msdyn_company", "accountnumber"}}}},
		"transactioncurrency": {LogicalName: "transactioncurrency", EntitySetName: "transactioncurrencies", Columns: []providers.Column{
			{Name: "isocurrencycode", Type: "String"}, {Name: "exchangerate", Type: "Decimal"}}},
	}
	return l
}

func TestValidateLive(t *testing.T) {
	tests := map[string]struct {
		edit   func(string) string
		live   func(*Live)
		want   []string
		detail string
		// subject is the source text the first diagnostic points at.
		subject string
	}{
		"clean": {},
		"unknown column": {
			edit: func(s string) string {
				return strings.Replace(s, `"ORGANIZATIONNAME" "name"`, `"ORGANIZATIONNAME" "nmae"`, 1)
			},
			want: []string{"Mandatory column not mapped", "Unknown Dataverse column"},
		},
		"company-specific entity, global table": {
			live:   func(l *Live) { l.DataverseTables["account"].Columns[4].Targets = []string{"businessunit"} },
			want:   []string{"Company-specific entity mapped to a global table"},
			detail: "DIPV1002: the F&O entity CustomersV3 is company-specific",
		},
		"global entity, company-specific table": {
			live:   func(l *Live) { l.FinOpsTables["customersv3"].Columns[0].IsKey = false },
			want:   []string{"Global entity mapped to a company-specific table"},
			detail: "msdyn_company looks up cdm_company",
		},
		"type mismatch": {
			live: func(l *Live) { l.DataverseTables["account"].Columns[1].Type = "Integer" },
			want: []string{"Type mismatch"},
		},
		"read-only destination": {
			live: func(l *Live) { l.DataverseTables["account"].Columns[2].ReadOnly = true },
			want: []string{"Read-only destination column"},
		},
		"key not an alternate key": {
			live: func(l *Live) {
				t := l.DataverseTables["account"]
				t.Keys = nil
				l.DataverseTables["account"] = t
			},
			want: []string{"Integration key is not an alternate key"},
		},
		"logical name where the entity set belongs": {
			edit: func(s string) string {
				return strings.Replace(s, `dataverse = "transactioncurrencies"`, `dataverse = "transactioncurrency"`, 1)
			},
			live:   func(l *Live) { l.NameHints = map[string]string{"transactioncurrency": "transactioncurrencies"} },
			want:   []string{"Unknown Dataverse table"},
			detail: `Did you mean "transactioncurrencies"? A map names its Dataverse side by entity set name.`,
		},
		"unknown entity": {
			live: func(l *Live) { delete(l.FinOpsTables, "currencies") },
			want: []string{"Unknown F&O entity"},
		},
		"unknown column in a filter": {
			edit: func(s string) string {
				return strings.Replace(s, `dataverse = "customertypecode eq 3"`, `dataverse = "customertypcode eq 3"`, 1)
			},
			want:    []string{"Unknown column in filter"},
			detail:  `DIPV1012: the Dataverse table account has no column "customertypcode"`,
			subject: "customertypcode",
		},
		"filter constant of the wrong type": {
			edit: func(s string) string {
				return strings.Replace(s, `dataverse = "customertypecode eq 3"`, `dataverse = "customertypecode eq 2021-06-23"`, 1)
			},
			want:   []string{"Filter constant of the wrong type"},
			detail: "customertypecode is Picklist, but it is compared with a date constant (2021-06-23).",
		},
		"lookup value property in a filter": {
			edit: func(s string) string {
				return strings.Replace(s, `dataverse = "customertypecode eq 3"`, `dataverse = "_msdyn_company_value ne null"`, 1)
			},
		},
		"autonumber longer than its column": {
			live:    func(l *Live) { l.DataverseTables["account"].Columns[1].MaxLength = 5 },
			want:    []string{"Autonumber values can exceed the column length"},
			detail:  `from sequence number 10000 on are longer than the 5 characters of account.accountnumber`,
			subject: `"C{SEQNUM:4}"`,
		},
		"initial sync over the limit": {
			live: func(l *Live) { l.RowCounts["finops:CustomersV3:USMF"] = 500001 },
			want: []string{"Initial sync over the service's limit"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			src := baseConfig
			if tc.edit != nil {
				src = tc.edit(src)
			}
			l := liveTables()
			if tc.live != nil {
				tc.live(l)
			}
			var got []string
			details := ""
			cfg := loadConfig(t, src)
			diags := ValidateLive(cfg, map[string]*Live{"main": l})
			for _, d := range diags {
				got = append(got, d.Summary)
				details += d.Detail + "\n"
			}
			if tc.subject != "" {
				r := diags[0].Subject
				if text := string(cfg.Sources[r.Filename][r.Start.Byte:r.End.Byte]); text != tc.subject {
					t.Errorf("the diagnostic points at %q, want %q", text, tc.subject)
				}
			}
			if !strings.Contains(details, tc.detail) {
				t.Errorf("details %q lack %q", details, tc.detail)
			}
			sort.Strings(got)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}
