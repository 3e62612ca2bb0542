package numbering

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestCheckAll(t *testing.T) {
	account := &AutoNumber{Table: "account", Column: "accountnumber", Format: "US{SEQNUM:4}", Seed: 5000}
	usmf := &FinOpsSequence{Code: "Acco_1", Scope: ScopeCompany, Company: "USMF", Format: "US####", Smallest: 1, Largest: 4999}
	demf := new(*usmf)
	demf.Company = "DEMF"
	tests := map[string]struct {
		pairs []Pair
		want  []Finding
	}{
		"documented good strategy": {
			pairs: []Pair{{Name: "a", FinOps: usmf, Dataverse: account}},
		},
		"company-scoped sequences feed one column": {
			pairs: []Pair{
				{Name: "us", FinOps: usmf, Dataverse: account},
				{Name: "de", FinOps: demf, Dataverse: account},
			},
		},
		"one company-scoped sequence collides in its company": {
			pairs: []Pair{
				{Name: "us", FinOps: usmf, Dataverse: account},
				{Name: "de", FinOps: &FinOpsSequence{Code: "Acco_1", Scope: ScopeCompany, Company: "DEMF", Format: "US####", Smallest: 1, Largest: 5000}, Dataverse: account},
			},
			want: []Finding{{
				Kind: Collision, Pair: 1, Other: -1, A: "F&O sequence Acco_1 (DEMF)", B: "Dataverse account.accountnumber",
				Witness: Witness{Value: "US5000", A: "US5000", B: "US5000"},
				Message: "F&O sequence Acco_1 (DEMF) and Dataverse account.accountnumber can both produce 'US5000'",
			}},
		},
		"shared sequence overlaps a company's": {
			pairs: []Pair{
				{Name: "us", FinOps: usmf, Dataverse: account},
				{Name: "all", FinOps: &FinOpsSequence{Code: "Acco_9", Scope: ScopeShared, Format: "US####", Smallest: 4000, Largest: 4999}, Dataverse: account},
			},
			want: []Finding{{
				Kind: Collision, Pair: 1, Other: 0, A: "F&O sequence Acco_9 (shared)", B: "F&O sequence Acco_1 (USMF)",
				Witness: Witness{Value: "US4000", A: "US4000", B: "US4000"},
				Message: "F&O sequence Acco_9 (shared) and F&O sequence Acco_1 (USMF) can both produce 'US4000'",
			}},
		},
		"one column declared two ways": {
			pairs: []Pair{
				{Name: "us", FinOps: usmf, Dataverse: account},
				{Name: "de", FinOps: demf, Dataverse: &AutoNumber{Table: "Account", Column: "AccountNumber", Format: "US{SEQNUM:4}", Seed: 6000}},
			},
			want: []Finding{{
				Kind: Conflict, Pair: 1, Other: 0, A: "Dataverse Account.AccountNumber", B: "Dataverse account.accountnumber",
				Message: `Dataverse Account.AccountNumber is declared by de with format "US{SEQNUM:4}" and seed 6000, but by us with format "US{SEQNUM:4}" and seed 5000; a column has one autonumber format and seed for all companies`,
			}},
		},
		"formats that cannot produce a value": {
			pairs: []Pair{{Name: "a", FinOps: &FinOpsSequence{Code: "X", Scope: ScopeShared, Format: "US##", Smallest: 100, Largest: 200}, Dataverse: &AutoNumber{Table: "t", Column: "c", Format: "{RANDSTRING:9}"}}},
			want: []Finding{
				{Kind: Invalid, Pair: 0, Other: -1, Side: "finops", A: "F&O sequence X (shared)",
					Message: `F&O sequence X (shared): smallest (100) does not fit: format "US##" holds the numbers 0 to 99, so the sequence cannot produce any value`},
				{Kind: Invalid, Pair: 0, Other: -1, Side: "dataverse", A: "Dataverse t.c",
					Message: `Dataverse t.c: format "{RANDSTRING:9}", byte 12: the length of the random string must be from 1 to 6, not 9`},
			},
		},
		"sides declared alone": {
			pairs: []Pair{
				{Name: "a", FinOps: usmf, Dataverse: account},
				{Name: "b", FinOps: &FinOpsSequence{Code: "Acco_9", Scope: ScopeShared, Format: "US####", Smallest: 1, Largest: 9999}},
				{Name: "c", Dataverse: &AutoNumber{Table: "account", Column: "accountnumber", Format: "US{SEQNUM:4}", Seed: 1}},
			},
			want: []Finding{{
				Kind: Conflict, Pair: 2, Other: 0, A: "Dataverse account.accountnumber", B: "Dataverse account.accountnumber",
				Message: `Dataverse account.accountnumber is declared by c with format "US{SEQNUM:4}" and seed 1, but by a with format "US{SEQNUM:4}" and seed 5000; a column has one autonumber format and seed for all companies`,
			}},
		},
		"operating units reach every company": {
			pairs: []Pair{
				{Name: "us", FinOps: usmf, Dataverse: account},
				{Name: "ou", FinOps: &FinOpsSequence{Code: "Acco_2", Scope: ScopeOperatingUnit, Company: "DEMF", Format: "US####", Smallest: 4999, Largest: 4999}, Dataverse: account},
			},
			want: []Finding{{
				Kind: Collision, Pair: 1, Other: 0, A: "F&O sequence Acco_2 (operating unit)", B: "F&O sequence Acco_1 (USMF)",
				Witness: Witness{Value: "US4999", A: "US4999", B: "US4999"},
				Message: "F&O sequence Acco_2 (operating unit) and F&O sequence Acco_1 (USMF) can both produce 'US4999'",
			}},
		},
		"unknown scope": {
			pairs: []Pair{{Name: "a", FinOps: &FinOpsSequence{Code: "X", Scope: "global", Format: "F##", Smallest: 1, Largest: 2}, Dataverse: account}},
			want: []Finding{{Kind: Invalid, Pair: 0, Other: -1, Side: "finops", A: "F&O sequence X (global)",
				Message: `F&O sequence X (global): scope "global" is not one of shared, company, legal_entity, operating_unit`}},
		},
		"one sequence declared two ways": {
			pairs: []Pair{
				{Name: "a", FinOps: usmf, Dataverse: account},
				{Name: "b", FinOps: &FinOpsSequence{Code: "acco_1", Scope: ScopeCompany, Company: "usmf", Format: "US####", Smallest: 1, Largest: 4000}, Dataverse: account},
			},
			want: []Finding{{Kind: Conflict, Pair: 1, Other: 0, A: "F&O sequence acco_1 (usmf)", B: "F&O sequence Acco_1 (USMF)",
				Message: "F&O sequence acco_1 (usmf) is declared differently by b and a (format, smallest or largest)"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := CheckAll(tc.pairs)
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(Finding{}, "Err"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("CheckAll (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindingDetail(t *testing.T) {
	f := Finding{Kind: Collision, A: "F&O sequence Req (shared)", B: "Dataverse x.y",
		Witness: Witness{Value: "REQ1000", A: "Req1000", B: "REQ1000"}}
	want := map[string]any{"kind": "collision", "a": "F&O sequence Req (shared)", "b": "Dataverse x.y",
		"witness": "REQ1000", "a_value": "Req1000", "b_value": "REQ1000"}
	if diff := cmp.Diff(want, f.Detail()); diff != "" {
		t.Errorf("Detail (-want +got):\n%s", diff)
	}
}
