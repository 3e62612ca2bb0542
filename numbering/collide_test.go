package numbering

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCollide(t *testing.T) {
	type result struct {
		Collide bool
		Witness Witness
	}
	tests := map[string]struct {
		fo   FinOpsSequence
		dv   AutoNumber
		want result
	}{
		"documented prefix split": {
			fo:   FinOpsSequence{Code: "Acco_1", Scope: ScopeCompany, Company: "USMF", Format: "F####", Smallest: 1, Largest: 9999},
			dv:   AutoNumber{Table: "account", Column: "accountnumber", Format: "C{SEQNUM:4}", Seed: 1},
			want: result{},
		},
		"documented disjoint ranges": {
			fo:   FinOpsSequence{Code: "Acco_1", Scope: ScopeCompany, Company: "USMF", Format: "US####", Smallest: 1, Largest: 4999},
			dv:   AutoNumber{Table: "account", Column: "accountnumber", Format: "US{SEQNUM:4}", Seed: 5000},
			want: result{},
		},
		"ranges overlapping at the seed": {
			fo:   FinOpsSequence{Code: "Acco_1", Scope: ScopeCompany, Company: "USMF", Format: "US####", Smallest: 1, Largest: 5000},
			dv:   AutoNumber{Table: "account", Column: "accountnumber", Format: "US{SEQNUM:4}", Seed: 5000},
			want: result{true, Witness{Value: "US5000", A: "US5000", B: "US5000"}},
		},
		"documented anti-pattern": {
			fo:   FinOpsSequence{Code: "SO", Scope: ScopeShared, Format: "######", Smallest: 1, Largest: 999999},
			dv:   AutoNumber{Table: "salesorder", Column: "ordernumber", Format: "{SEQNUM:6}", Seed: 100},
			want: result{true, Witness{Value: "000100", A: "000100", B: "000100"}},
		},
		"seqnum grows past its width": {
			fo:   FinOpsSequence{Code: "Acco_1", Scope: ScopeCompany, Company: "USMF", Format: "C#####", Smallest: 10000, Largest: 99999},
			dv:   AutoNumber{Table: "account", Column: "accountnumber", Format: "C{SEQNUM:4}", Seed: 1},
			want: result{true, Witness{Value: "C10000", A: "C10000", B: "C10000"}},
		},
		"seqnum width keeps padded values apart": {
			fo:   FinOpsSequence{Code: "Acco_1", Scope: ScopeCompany, Company: "USMF", Format: "C#####", Smallest: 1, Largest: 9999},
			dv:   AutoNumber{Table: "account", Column: "accountnumber", Format: "C{SEQNUM:4}", Seed: 1},
			want: result{},
		},
		"randstring covers digits": {
			fo:   FinOpsSequence{Code: "Cont_1", Scope: ScopeShared, Format: "R-####", Smallest: 1, Largest: 9999},
			dv:   AutoNumber{Table: "contact", Column: "msdyn_contactpersonid", Format: "R-{RANDSTRING:4}", Seed: 1000},
			want: result{true, Witness{Value: "R-0001", A: "R-0001", B: "R-0001"}},
		},
		"randstring covers letters": {
			fo:   FinOpsSequence{Code: "Cont_1", Scope: ScopeShared, Format: "&&-####", Smallest: 300000, Largest: 400000},
			dv:   AutoNumber{Table: "contact", Column: "msdyn_contactpersonid", Format: "{RANDSTRING:2}-{SEQNUM:4}", Seed: 1000},
			want: result{true, Witness{Value: "BE-1000", A: "BE-1000", B: "BE-1000"}},
		},
		"randstring shorter than the sequence": {
			fo:   FinOpsSequence{Code: "Cont_1", Scope: ScopeShared, Format: "R-#####", Smallest: 1, Largest: 99999},
			dv:   AutoNumber{Table: "contact", Column: "msdyn_contactpersonid", Format: "R-{RANDSTRING:4}", Seed: 1000},
			want: result{},
		},
		"date stamp meets a numeric year prefix": {
			fo:   FinOpsSequence{Code: "Inv", Scope: ScopeShared, Format: "2024####", Smallest: 1, Largest: 9999},
			dv:   AutoNumber{Table: "invoice", Column: "invoicenumber", Format: "{DATETIMEUTC:yyyyMMdd}", Seed: 1},
			want: result{true, Witness{Value: "20240101", A: "20240101", B: "20240101"}},
		},
		"numbers that are no dates": {
			fo:   FinOpsSequence{Code: "Inv", Scope: ScopeShared, Format: "2024####", Smallest: 1, Largest: 100},
			dv:   AutoNumber{Table: "invoice", Column: "invoicenumber", Format: "{DATETIMEUTC:yyyyMMdd}", Seed: 1},
			want: result{},
		},
		"date stamp twelve hour clock": {
			fo:   FinOpsSequence{Code: "Case", Scope: ScopeShared, Format: "###############", Smallest: 1, Largest: 999999999999999},
			dv:   AutoNumber{Table: "incident", Column: "ticketnumber", Format: "{DATETIMEUTC:yyyyMMddhhmmss}{SEQNUM:1}", Seed: 5},
			want: result{true, Witness{Value: "000101010100005", A: "000101010100005", B: "000101010100005"}},
		},
		"date stamp respects leap years": {
			fo:   FinOpsSequence{Code: "Day", Scope: ScopeShared, Format: "2902####X", Smallest: 1900, Largest: 1903},
			dv:   AutoNumber{Table: "x", Column: "y", Format: "{DATETIMEUTC:ddMMyyyy}{RANDSTRING:1}", Seed: 1},
			want: result{},
		},
		"date stamp on a leap day": {
			fo:   FinOpsSequence{Code: "Day", Scope: ScopeShared, Format: "2902####X", Smallest: 1900, Largest: 2000},
			dv:   AutoNumber{Table: "x", Column: "y", Format: "{DATETIMEUTC:ddMMyyyy}{RANDSTRING:1}", Seed: 1},
			want: result{true, Witness{Value: "29021904X", A: "29021904X", B: "29021904X"}},
		},
		"case is ignored": {
			fo:   FinOpsSequence{Code: "Req", Scope: ScopeShared, Format: "Req####", Smallest: 1, Largest: 9999},
			dv:   AutoNumber{Table: "x", Column: "y", Format: "REQ{SEQNUM:4}", Seed: 1000},
			want: result{true, Witness{Value: "REQ1000", A: "Req1000", B: "REQ1000"}},
		},
		"large range decides": {
			fo:   FinOpsSequence{Code: "Big", Scope: ScopeShared, Format: "#########", Smallest: 1, Largest: 999_999_999},
			dv:   AutoNumber{Table: "x", Column: "y", Format: "{SEQNUM:10}", Seed: 1},
			want: result{},
		},
		"large range collides past the width": {
			fo:   FinOpsSequence{Code: "Big", Scope: ScopeShared, Format: "#########", Smallest: 1, Largest: 999_999_999},
			dv:   AutoNumber{Table: "x", Column: "y", Format: "{SEQNUM:8}", Seed: 123_456_789},
			want: result{true, Witness{Value: "123456789", A: "123456789", B: "123456789"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			w, ok, err := Collide(tc.fo, tc.dv)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, result{ok, w}); diff != "" {
				t.Errorf("Collide (-want +got):\n%s", diff)
			}
		})
	}
}

func TestShortest(t *testing.T) {
	fo, err := ParseFinOpsFormat("US-&#")
	if err != nil {
		t.Fatal(err)
	}
	foLang, err := fo.Language(25, 200)
	if err != nil {
		t.Fatal(err)
	}
	dv, err := ParseAutoNumberFormat("{DATETIMEUTC:%F}{SEQNUM:2}")
	if err != nil {
		t.Fatal(err)
	}
	dvLang, err := dv.Language(7)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for name, l := range map[string]*Language{"finops": foLang, "dataverse": dvLang} {
		s, ok, err := l.Shortest()
		if err != nil || !ok {
			t.Fatalf("%s: Shortest = %q, %v, %v", name, s, ok, err)
		}
		got[name] = s
	}
	want := map[string]string{"finops": "US-C5", "dataverse": "07"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Shortest (-want +got):\n%s", diff)
	}
}
