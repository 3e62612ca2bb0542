package filter

import (
	"encoding/json"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDiagnosticRanges(t *testing.T) {
	cases := map[string]struct {
		lang Lang
		src  string
		want []Diagnostic
	}{
		"navigation path covers the whole path": {
			lang: Dataverse,
			src:  "customertypecode eq 3 and primarycontactid/fullname ne null",
			want: []Diagnostic{{Severity: Error, Start: 26, End: 51,
				Summary: `Navigation path "primarycontactid/fullname" in a dual-write filter`}},
		},
		"lambda covers the path and its parentheses": {
			lang: Dataverse,
			src:  "statecode eq 0 or Account_Tasks/any(t:t/statecode eq 1)",
			want: []Diagnostic{{Severity: Error, Start: 18, End: 55, Summary: "Lambda operator any is not supported"}},
		},
		"query function covers the call": {
			lang: Dataverse,
			src:  "Microsoft.Dynamics.CRM.Today(PropertyName='createdon')",
			want: []Diagnostic{{Severity: Error, Start: 0, End: 54, Summary: "Query function Microsoft.Dynamics.CRM.Today is not supported"}},
		},
		"in covers the operator": {
			lang: Dataverse,
			src:  "statecode in (0,1)",
			want: []Diagnostic{{Severity: Error, Start: 10, End: 12, Summary: "The in operator is not supported"}},
		},
		"unterminated string covers the rest": {
			lang: Dataverse,
			src:  "name eq 'abc",
			want: []Diagnostic{{Severity: Error, Start: 8, End: 12, Summary: "Unterminated string"}},
		},
		"end of input is an empty range at the end": {
			lang: Dataverse,
			src:  "name eq",
			want: []Diagnostic{{Severity: Error, Start: 7, End: 7, Summary: "Unexpected end of filter"}},
		},
		"single equals covers the operator": {
			lang: FinOps,
			src:  "(AssociatedContactType = 1)",
			want: []Diagnostic{{Severity: Warning, Start: 23, End: 24, Summary: "Single = in a comparison",
				Rewrite: "(AssociatedContactType == 1)"}},
		},
		"missing outer parentheses cover the expression": {
			lang: FinOps,
			src:  "  (A == \"x\") && (B != \"\")  ",
			want: []Diagnostic{{Severity: Warning, Start: 2, End: 25, Summary: "Missing outer parentheses",
				Rewrite: `((A == "x") && (B != ""))`}},
		},
		"empty string comparison covers the comparison": {
			lang: FinOps,
			src:  `(ParentProject == "")`,
			want: []Diagnostic{{Severity: Warning, Start: 1, End: 20, Summary: `Comparison with "" does not match NULL`}},
		},
		"method call covers the call": {
			lang: FinOps,
			src:  "(CreatedDate == DayRange(-30,0))",
			want: []Diagnostic{{Severity: Error, Start: 16, End: 31, Summary: "Method call DayRange() is not supported"}},
		},
		"unknown language": {
			lang: Lang(9),
			src:  "x",
			want: []Diagnostic{{Severity: Error, Summary: "Unknown filter language"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, got := Parse(tc.lang, tc.src)
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(Diagnostic{}, "Detail")); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestColumns(t *testing.T) {
	cases := map[string]struct {
		lang Lang
		src  string
		want []ColumnRef
	}{
		"dataverse": {
			lang: Dataverse,
			src:  "name eq 'x' and contains(city, 'y') and a lt b and createdon ge 2024-01-01",
			want: []ColumnRef{
				{Name: "name", Start: 0, End: 4, Operator: "eq",
					Literals: []Literal{{Kind: LitString, Text: "'x'", Start: 8, End: 11, Value: "x"}}},
				{Name: "city", Start: 25, End: 29, Operator: "contains",
					Literals: []Literal{{Kind: LitString, Text: "'y'", Start: 31, End: 34, Value: "y"}}},
				{Name: "a", Start: 40, End: 41, Operator: "lt"},
				{Name: "b", Start: 45, End: 46, Operator: "lt"},
				{Name: "createdon", Start: 51, End: 60, Operator: "ge",
					Literals: []Literal{{Kind: LitDate, Text: "2024-01-01", Start: 64, End: 74}}},
			},
		},
		"finops": {
			lang: FinOps,
			src:  `((DirPartyTable.Name like "C*") && (AccountType == AccountType::Customer))`,
			want: []ColumnRef{
				{Name: "DirPartyTable.Name", Start: 2, End: 20, Operator: "like",
					Literals: []Literal{{Kind: LitString, Text: `"C*"`, Start: 26, End: 30, Value: "C*"}}},
				{Name: "AccountType", Start: 36, End: 47, Operator: "==",
					Literals: []Literal{{Kind: LitEnum, Text: "AccountType::Customer", Start: 51, End: 72,
						Enum: "AccountType", Value: "Customer"}}},
			},
		},
		"finops odata enum": {
			lang: FinOpsOData,
			src:  "Gender ne Microsoft.Dynamics.DataEntities.Gender'Male'",
			want: []ColumnRef{{Name: "Gender", Start: 0, End: 6, Operator: "ne",
				Literals: []Literal{{Kind: LitEnum, Text: "Microsoft.Dynamics.DataEntities.Gender'Male'", Start: 10, End: 54,
					Enum: "Microsoft.Dynamics.DataEntities.Gender", Value: "Male"}}}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e, diags := Parse(tc.lang, tc.src)
			if e == nil {
				t.Fatalf("parse: %v", diags)
			}
			if diff := cmp.Diff(tc.want, e.Columns()); diff != "" {
				t.Errorf("columns (-want +got):\n%s", diff)
			}
		})
	}
}

type stringer struct{}

func (stringer) String() string { return "Contoso" }

func TestEvalValueTypes(t *testing.T) {
	when := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		src     string
		value   any
		want    bool
		wantErr bool
	}{
		"int":               {src: "n eq 5", value: 5, want: true},
		"int32":             {src: "n eq 5", value: int32(5), want: true},
		"uint8":             {src: "n lt 6", value: uint8(5), want: true},
		"uint64 huge":       {src: "n gt 5", value: uint64(1 << 63), want: true},
		"float32":           {src: "n eq 0.5", value: float32(0.5), want: true},
		"json number":       {src: "n eq 12", value: json.Number("12"), want: true},
		"json decimal":      {src: "n gt 1", value: json.Number("1.5"), want: true},
		"nil time pointer":  {src: "n eq null", value: (*time.Time)(nil), want: true},
		"time pointer":      {src: "n eq 2024-01-02", value: &when, want: true},
		"stringer":          {src: "n eq 'contoso'", value: stringer{}, want: true},
		"text as number":    {src: "n eq 5", value: "5", want: true},
		"text not a number": {src: "n eq 5", value: "five", wantErr: true},
		"bool with number":  {src: "n eq 1", value: true, wantErr: true},
		"unsupported type":  {src: "n eq 1", value: []int{1}, wantErr: true},
		"netip stringer":    {src: "n eq '10.0.0.1'", value: netip.MustParseAddr("10.0.0.1"), want: true},
		"date against text": {src: "n lt 2024-01-03", value: "2024-01-02T10:00:00Z", want: true},
		"bad date text":     {src: "n lt 2024-01-03", value: "soon", wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e, diags := ParseDataverse(tc.src)
			if e == nil {
				t.Fatalf("parse: %v", diags)
			}
			got, err := e.Eval(MapRow{"n": tc.value})
			if (err != nil) != tc.wantErr {
				t.Fatalf("Eval error = %v, want error %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("Eval = %v, want %v", got, tc.want)
			}
		})
	}
}

// enumRow is a row whose PartyType column is an enum.
type enumRow struct{ MapRow }

func (r enumRow) EnumValue(column, name string) (int64, bool) {
	if column != "PartyType" {
		return 0, false
	}
	v, ok := map[string]int64{"none": 0, "person": 1, "organization": 2}[name]
	return v, ok
}

func TestEvalEnums(t *testing.T) {
	cases := map[string]struct {
		src     string
		row     Row
		want    bool
		wantErr bool
	}{
		"name column, int literal":        {src: "(PartyType == 2)", row: enumRow{MapRow{"PartyType": "organization"}}, want: true},
		"int column, enum literal":        {src: "(PartyType == DirPartyType::organization)", row: enumRow{MapRow{"PartyType": 2}}, want: true},
		"int column, string literal":      {src: `(PartyType == "person")`, row: enumRow{MapRow{"PartyType": 1}}, want: true},
		"int column, string, no metadata": {src: `(PartyType == "person")`, row: MapRow{"PartyType": 1}, wantErr: true},
		"ordering through metadata":       {src: "(PartyType > 0)", row: enumRow{MapRow{"PartyType": "person"}}, want: true},
		"unknown enum name":               {src: "(PartyType == 1)", row: enumRow{MapRow{"PartyType": "robot"}}, wantErr: true},
		"NoYes without metadata":          {src: "(Blocked == NoYes::No)", row: MapRow{"Blocked": 0}, want: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e, diags := ParseFinOps(tc.src)
			if e == nil {
				t.Fatalf("parse: %v", diags)
			}
			got, err := e.Eval(tc.row)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Eval error = %v, want error %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("Eval = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMapRow(t *testing.T) {
	row := MapRow{"Name": "exact", "name": "lower", "CITY": "x"}
	cases := map[string]struct {
		column string
		want   any
		ok     bool
	}{
		"exact first":      {column: "Name", want: "exact", ok: true},
		"exact lower":      {column: "name", want: "lower", ok: true},
		"case-insensitive": {column: "city", want: "x", ok: true},
		"missing":          {column: "zip", want: nil, ok: false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, ok := row.Value(tc.column)
			if diff := cmp.Diff([]any{tc.want, tc.ok}, []any{got, ok}); diff != "" {
				t.Errorf("Value (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLang(t *testing.T) {
	cases := map[string]struct {
		parse func(string) (Expr, []Diagnostic)
		src   string
		want  Lang
	}{
		"dataverse":    {parse: ParseDataverse, src: "a eq 1", want: Dataverse},
		"web api":      {parse: ParseWebAPI, src: "a/b eq 1", want: Dataverse},
		"finops":       {parse: ParseFinOps, src: "(A == 1)", want: FinOps},
		"finops odata": {parse: ParseFinOpsOData, src: "A eq 1", want: FinOpsOData},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e, diags := tc.parse(tc.src)
			if e == nil {
				t.Fatalf("parse: %v", diags)
			}
			if e.Lang() != tc.want {
				t.Errorf("Lang() = %v, want %v", e.Lang(), tc.want)
			}
		})
	}
}

func TestNames(t *testing.T) {
	got := []string{Dataverse.String(), FinOps.String(), FinOpsOData.String(), Lang(0).String(),
		Error.String(), Warning.String(), Severity(7).String(), LitEnum.String(), LiteralKind(99).String(),
		Diagnostic{Severity: Error, Start: 3, Summary: "Bad", Detail: "Fix it."}.Error()}
	want := []string{"Dataverse", "F&O", "F&O OData", "Lang(0)", "error", "warning", "Severity(7)", "enum",
		"LiteralKind(99)", "error at 3: Bad: Fix it."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}
