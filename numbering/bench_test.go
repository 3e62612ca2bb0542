package numbering

import "testing"

// BenchmarkCollideLargeRange decides a nine-digit F&O range against an
// unbounded Dataverse sequence (disjoint: the whole product is explored).
func BenchmarkCollideLargeRange(b *testing.B) {
	fo := FinOpsSequence{Code: "Big", Scope: ScopeShared, Format: "#########", Smallest: 1, Largest: 999_999_999}
	dv := AutoNumber{Table: "x", Column: "y", Format: "{SEQNUM:10}", Seed: 1}
	for b.Loop() {
		if _, ok, err := Collide(fo, dv); err != nil || ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkCollideLargeRangeWitness finds the witness of a collision inside
// a nine-digit range.
func BenchmarkCollideLargeRangeWitness(b *testing.B) {
	fo := FinOpsSequence{Code: "Big", Scope: ScopeShared, Format: "US#########", Smallest: 1, Largest: 999_999_999}
	dv := AutoNumber{Table: "x", Column: "y", Format: "US{SEQNUM:4}", Seed: 123_456_789}
	for b.Loop() {
		if _, ok, err := Collide(fo, dv); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkCollideDateTime compares a full timestamp format with a numeric
// range.
func BenchmarkCollideDateTime(b *testing.B) {
	fo := FinOpsSequence{Code: "Case", Scope: ScopeShared, Format: "CAS-##############", Smallest: 1, Largest: 99_999_999_999_999}
	dv := AutoNumber{Table: "incident", Column: "ticketnumber", Format: "CAS-{DATETIMEUTC:yyyyMMddHHmmss}{RANDSTRING:2}", Seed: 1}
	for b.Loop() {
		if _, _, err := Collide(fo, dv); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckAll checks forty companies' sequences feeding one column.
func BenchmarkCheckAll(b *testing.B) {
	var pairs []Pair
	for i := range 40 {
		pairs = append(pairs, Pair{
			Name:      "seq",
			FinOps:    &FinOpsSequence{Code: "Acco_1", Scope: ScopeCompany, Company: string(rune('A'+i%26)) + string(rune('A'+i/26)), Format: "US######", Smallest: 1, Largest: 499_999},
			Dataverse: &AutoNumber{Table: "account", Column: "accountnumber", Format: "US{SEQNUM:6}", Seed: 500_000},
		})
	}
	for b.Loop() {
		if f := CheckAll(pairs); len(f) != 0 {
			b.Fatal(f)
		}
	}
}
