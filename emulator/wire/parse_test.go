package wire

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseKeyPredicate(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in      string
		want    []KeyPart
		wantErr bool
	}{
		"guid":         {"00000000-0000-0000-0000-00000000000A", []KeyPart{{Value: "00000000-0000-0000-0000-00000000000a"}}, false},
		"string":       {"accountnumber='A1'", []KeyPart{{Name: "accountnumber", Value: "A1", Quoted: true}}, false},
		"escaped":      {"name='O''Bryan'", []KeyPart{{Name: "name", Value: "O'Bryan", Quoted: true}}, false},
		"several":      {"dataAreaId='usmf', CustomerGroupId='T,1'", []KeyPart{{Name: "dataAreaId", Value: "usmf", Quoted: true}, {Name: "CustomerGroupId", Value: "T,1", Quoted: true}}, false},
		"numbers":      {"example_key1=2,example_key2=2.5", []KeyPart{{Name: "example_key1", Value: 2.0}, {Name: "example_key2", Value: 2.5}}, false},
		"enum":         {"ScopeType=Microsoft.Dynamics.DataEntities.NumberSequenceType'DataArea'", []KeyPart{{Name: "ScopeType", Value: "DataArea", Quoted: true}}, false},
		"unterminated": {"name='x", nil, true},
		"unnamed pair": {"'a','b'", nil, true},
		"empty":        {"", nil, true},
		"junk":         {"a=b c", nil, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := ParseKeyPredicate(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseKeyPredicate(f *testing.F) {
	for _, s := range []string{"accountnumber='A1'", "a=1,b='x''y'", "00000000-0000-0000-0000-000000000001", "X=NS.T'M'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parts, err := ParseKeyPredicate(s)
		if err == nil && len(parts) == 0 {
			t.Errorf("%q: no parts and no error", s)
		}
	})
}

func TestParseBatch(t *testing.T) {
	t.Parallel()
	items, err := parseBatch(`multipart/mixed; boundary="batch_b1"`, strings.NewReader(strings.Replace(sampleBatch, "%s", "00000000-0000-0000-0000-000000000001", 1)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		for _, op := range append(it.changeSet, it.op) {
			if op != nil {
				got = append(got, op.contentID+" "+op.method+" "+op.target+" "+string(op.body))
			}
		}
	}
	want := []string{
		`1 POST /api/data/v9.2/accounts {"name":"A"}`,
		`2 PATCH /api/data/v9.2/contacts(00000000-0000-0000-0000-000000000001) {"lastname":"Doe","parentcustomerid_account@odata.bind":"$1"}`,
		` GET /api/data/v9.2/accounts?$select=name&$filter=name%20eq%20'A' `,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for name, ct := range map[string]string{"no boundary": "multipart/mixed", "not multipart": "application/json"} {
		if _, err := parseBatch(ct, strings.NewReader(sampleBatch)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func FuzzParseBatch(f *testing.F) {
	f.Add(strings.Replace(sampleBatch, "%s", "00000000-0000-0000-0000-000000000001", 1))
	f.Add("--batch_b1\r\nContent-Type: application/http\r\n\r\nGET x HTTP/1.1\r\n\r\n--batch_b1--")
	f.Fuzz(func(t *testing.T, body string) {
		items, err := parseBatch(`multipart/mixed; boundary="batch_b1"`, strings.NewReader(body))
		if err != nil {
			return
		}
		for _, it := range items {
			if it.op == nil && it.changeSet == nil && len(it.changeSet) == 0 {
				continue
			}
			if it.op != nil && it.op.target == "" {
				t.Errorf("operation without a target")
			}
		}
	})
}

func TestParseExpand(t *testing.T) {
	t.Parallel()
	got, err := parseExpand("primarycontactid($select=fullname,emailaddress1),msdyn_company")
	if err != nil {
		t.Fatal(err)
	}
	want := []ExpandItem{{Nav: "primarycontactid", Select: []string{"fullname", "emailaddress1"}}, {Nav: "msdyn_company"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// sampleBatch is protocols.md §5.4 with LF line endings (the emulator's HTTP tests send it too).
var sampleBatch = func() string {
	b, err := os.ReadFile("../testdata/sample-batch.txt")
	if err != nil {
		panic(err)
	}
	return string(b)
}()
