package filter

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

const (
	benchClauses = 200
	benchRows    = 100_000
)

// benchDataverse is a 200-clause Dataverse filter: 100 "or"-ed pairs of a
// text test and a number or date comparison, so that most clauses are
// evaluated for every row.
func benchDataverse() string {
	var parts []string
	for i := range benchClauses / 2 {
		var text string
		switch i % 3 {
		case 0:
			text = fmt.Sprintf("name eq 'Account %d'", i)
		case 1:
			text = fmt.Sprintf("contains(name, 'x%d')", i)
		default:
			text = fmt.Sprintf("startswith(accountnumber, 'C-%d')", i)
		}
		other := fmt.Sprintf("revenue gt %d", i*1000)
		if i%2 == 1 {
			other = fmt.Sprintf("createdon ge 2024-01-%02dT00:00:00Z", i%28+1)
		}
		parts = append(parts, "("+text+" and "+other+")")
	}
	return strings.Join(parts, " or ")
}

// benchFinOps is the same shape in X++.
func benchFinOps() string {
	var parts []string
	for i := range benchClauses / 2 {
		var text string
		switch i % 3 {
		case 0:
			text = fmt.Sprintf(`(Name == "Account %d")`, i)
		case 1:
			text = fmt.Sprintf(`(Name like "*x%d*")`, i)
		default:
			text = fmt.Sprintf(`(AccountNum like "C-%d*")`, i)
		}
		other := fmt.Sprintf("(CreditLimit > %d)", i*1000)
		if i%2 == 1 {
			other = fmt.Sprintf(`(CreatedDate >= %02d\01\2024)`, i%28+1)
		}
		parts = append(parts, "("+text+" && "+other+")")
	}
	return "(" + strings.Join(parts, " || ") + ")"
}

func benchRowsOf(dataverse bool) []Row {
	rows := make([]Row, benchRows)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		name := fmt.Sprintf("Account %d", i%150)
		created := base.Add(time.Duration(i%40) * 24 * time.Hour)
		if dataverse {
			rows[i] = MapRow{"name": name, "accountnumber": fmt.Sprintf("C-%d", i), "revenue": int64(i % 150_000), "createdon": created}
		} else {
			rows[i] = MapRow{"Name": name, "AccountNum": fmt.Sprintf("C-%d", i), "CreditLimit": float64(i % 150_000), "CreatedDate": created}
		}
	}
	return rows
}

func BenchmarkParseDataverse(b *testing.B) {
	src := benchDataverse()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if e, diags := ParseDataverse(src); e == nil {
			b.Fatal(diags)
		}
	}
}

func BenchmarkParseFinOps(b *testing.B) {
	src := benchFinOps()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if e, diags := ParseFinOps(src); e == nil {
			b.Fatal(diags)
		}
	}
}

// BenchmarkEval evaluates a 200-clause filter over 100,000 rows per
// iteration and reports rows/s.
func BenchmarkEval(b *testing.B) {
	for _, lang := range []Lang{Dataverse, FinOps} {
		b.Run(lang.String(), func(b *testing.B) {
			src := benchFinOps()
			if lang == Dataverse {
				src = benchDataverse()
			}
			e, diags := Parse(lang, src)
			if e == nil {
				b.Fatal(diags)
			}
			rows := benchRowsOf(lang == Dataverse)
			passed := 0
			b.ResetTimer()
			for b.Loop() {
				passed = 0
				for _, r := range rows {
					ok, err := e.Eval(r)
					if err != nil {
						b.Fatal(err)
					}
					if ok {
						passed++
					}
				}
			}
			b.ReportMetric(float64(b.N*len(rows))/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(passed), "passed")
		})
	}
}
