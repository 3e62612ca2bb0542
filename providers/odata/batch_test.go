package odata

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

func stableBoundaries(t *testing.T) {
	n := 0
	old := newBoundary
	newBoundary = func() string { n++; return fmt.Sprintf("b%d", n) }
	t.Cleanup(func() { newBoundary = old })
}

// TestEncodeBatch writes the request of protocols §5.4: a change set creating an account and binding a
// contact to it by $1, then a GET outside the change set.
func TestEncodeBatch(t *testing.T) {
	stableBoundaries(t)
	entry := http.Header{"Content-Type": {"application/json; type=entry"}}
	ct, body := EncodeBatch([]Group{
		{ChangeSet: true, Ops: []Operation{
			{Method: "POST", URL: "/api/data/v9.2/accounts", Header: entry, Body: []byte(`{"name":"A"}`)},
			{Method: "PATCH", URL: "/api/data/v9.2/contacts(lastname='Doe',emailaddress1='jd@example.com')", Header: entry,
				Body: []byte(`{"parentcustomerid_account@odata.bind":"$1"}`)},
		}},
		{Ops: []Operation{{Method: "GET", URL: "/api/data/v9.2/accounts?$select=name&$filter=name%20eq%20'A'"}}},
	})
	if ct != "multipart/mixed; boundary=batch_b1" {
		t.Errorf("content type = %q", ct)
	}
	golden(t, "dataverse_batch_request.golden", body)
}

func TestDecodeBatch(t *testing.T) {
	cases := map[string]struct {
		file, contentType string
		want              []ResultGroup
	}{
		"dataverse change set and a read (CRLF)": {
			file: "dataverse_batch_response.txt", contentType: "multipart/mixed; boundary=batchresponse_r1",
			want: []ResultGroup{
				{ChangeSet: true, Results: []Result{
					{ContentID: "1", Status: 204},
					{ContentID: "2", Status: 204},
				}},
				{Results: []Result{{Status: 200}}},
			},
		},
		"dataverse stopped at a failure": {
			file: "dataverse_batch_stopped.txt", contentType: `multipart/mixed; boundary="batchresponse_e1"`,
			want: []ResultGroup{{Results: []Result{{Status: 400}}}},
		},
		"finops failed change set (LF)": {
			file: "finops_batch_failed_changeset.txt", contentType: "multipart/mixed; boundary=batchresponse_f1",
			want: []ResultGroup{{ChangeSet: true, Results: []Result{{ContentID: "2", Status: 500}}}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := DecodeBatch(tc.contentType, body)
			if err != nil {
				t.Fatal(err)
			}
			// Compare the shape here; headers and bodies are checked below.
			var shape []ResultGroup
			for _, g := range got {
				s := ResultGroup{ChangeSet: g.ChangeSet}
				for _, r := range g.Results {
					s.Results = append(s.Results, Result{ContentID: r.ContentID, Status: r.Status})
				}
				shape = append(shape, s)
			}
			if diff := cmp.Diff(tc.want, shape); diff != "" {
				t.Errorf("DecodeBatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeBatchHeadersAndBodies(t *testing.T) {
	body, _ := os.ReadFile("testdata/dataverse_batch_response.txt")
	got, err := DecodeBatch("multipart/mixed; boundary=batchresponse_r1", body)
	if err != nil {
		t.Fatal(err)
	}
	want := "https://contoso.crm.dynamics.com/api/data/v9.2/contacts(lastname='Doe',emailaddress1='jd@example.com')"
	if id := got[0].Results[1].Header.Get("OData-EntityId"); id != want {
		t.Errorf("OData-EntityId = %q, want %q", id, want)
	}
	page, err := DecodePage(got[1].Results[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`W/"7001"`, page.Rows[0].ETag()); diff != "" {
		t.Errorf("etag (-want +got):\n%s", diff)
	}

	fo, _ := os.ReadFile("testdata/finops_batch_failed_changeset.txt")
	groups, err := DecodeBatch("multipart/mixed; boundary=batchresponse_f1", fo)
	if err != nil {
		t.Fatal(err)
	}
	se, ok := ParseError(groups[0].Results[0].Body)
	if !ok || se.InnerType != "Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException" {
		t.Errorf("ParseError = %+v, %v", se, ok)
	}
}

func TestMatch(t *testing.T) {
	op := func(id string) Operation { return Operation{Method: "PATCH", ContentID: id} }
	groups := []Group{
		{ChangeSet: true, Ops: []Operation{op("1"), op("2"), op("3")}},
		{Ops: []Operation{op("")}},
	}
	type summary struct {
		Status             int
		RolledBack, NotRun bool
	}
	summarise := func(out [][]Outcome) [][]summary {
		var s [][]summary
		for _, g := range out {
			var row []summary
			for _, o := range g {
				x := summary{RolledBack: o.RolledBack, NotRun: o.NotRun}
				if o.Result != nil {
					x.Status = o.Result.Status
				}
				row = append(row, x)
			}
			s = append(s, row)
		}
		return s
	}
	cases := map[string]struct {
		answers []ResultGroup
		want    [][]summary
	}{
		"all succeeded": {
			answers: []ResultGroup{
				{ChangeSet: true, Results: []Result{{ContentID: "3", Status: 204}, {ContentID: "1", Status: 201}, {ContentID: "2", Status: 200}}},
				{Results: []Result{{Status: 204}}},
			},
			want: [][]summary{{{Status: 201}, {Status: 200}, {Status: 204}}, {{Status: 204}}},
		},
		"second failed, set rolled back, batch stopped": {
			answers: []ResultGroup{{ChangeSet: true, Results: []Result{{ContentID: "2", Status: 412}}}},
			want: [][]summary{
				{{Status: 412, RolledBack: true}, {Status: 412}, {Status: 412, RolledBack: true}},
				{{NotRun: true}},
			},
		},
		"set answered by one anonymous error": {
			answers: []ResultGroup{{Results: []Result{{Status: 400}}}},
			want: [][]summary{
				{{Status: 400, RolledBack: true}, {Status: 400, RolledBack: true}, {Status: 400, RolledBack: true}},
				{{NotRun: true}},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, summarise(Match(groups, tc.answers))); diff != "" {
				t.Errorf("Match (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzDecodeBatch(f *testing.F) {
	for _, name := range []string{"dataverse_batch_response.txt", "dataverse_batch_stopped.txt", "finops_batch_failed_changeset.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, boundary := range []string{"batchresponse_r1", "batchresponse_e1", "batchresponse_f1"} {
			groups, err := DecodeBatch("multipart/mixed; boundary="+boundary, body)
			if err != nil {
				continue
			}
			for _, g := range groups {
				for _, r := range g.Results {
					if r.Status < 0 {
						t.Fatalf("negative status %d", r.Status)
					}
				}
			}
		}
	})
}
