package emulator

import (
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// batchStatuses returns the status of every operation answer in a batch answer, change sets flattened,
// as "status" or "status#contentid".
func batchStatuses(t testing.TB, r response) []string {
	t.Helper()
	_, params, err := mime.ParseMediaType(r.header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("batch answer content type %q", r.header.Get("Content-Type"))
	}
	return readParts(t, multipart.NewReader(strings.NewReader(string(r.body)), params["boundary"]))
}

func readParts(t testing.TB, mr *multipart.Reader) []string {
	var out []string
	for {
		p, err := mr.NextPart()
		if err != nil {
			return out
		}
		if ct := p.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/mixed") {
			_, params, _ := mime.ParseMediaType(ct)
			out = append(out, readParts(t, multipart.NewReader(p, params["boundary"]))...)
			continue
		}
		b, _ := io.ReadAll(p)
		line := strings.SplitN(string(b), "\r\n", 2)[0]
		status := strings.Fields(line)[1]
		if id := p.Header.Get("Content-ID"); id != "" {
			status += "#" + id
		}
		out = append(out, status)
	}
}

// sampleBatch is protocols.md §5.4 with LF line endings, as hand-written requests often have; %s
// stands for a contact id.
var sampleBatch = readSample("testdata/sample-batch.txt")

// readSample reads a test sample at package initialisation.
func readSample(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestDataverseBatch(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	goodID := "3f2c0000-0000-4000-8000-000000000001"
	cases := map[string]struct {
		body     string
		prefer   string
		want     int
		statuses []string
		accounts string
	}{
		"sample": {fmt.Sprintf(sampleBatch, goodID), "", 200, []string{"204#1", "204#2", "200"}, "1"},
		"change set rolled back": {strings.Replace(fmt.Sprintf(sampleBatch, goodID), `{"lastname":"Doe",`, `{"nosuch":1,`, 1), "",
			400, []string{"400#2"}, "1"},
		"continue on error": {strings.Replace(fmt.Sprintf(sampleBatch, goodID), `{"lastname":"Doe",`, `{"nosuch":1,`, 1), "odata.continue-on-error",
			200, []string{"400#2", "200"}, "1"},
		"undeclared content id": {strings.Replace(fmt.Sprintf(sampleBatch, goodID), `"$1"`, `"$7"`, 1), "", 400, []string{"400#2"}, "1"},
		"crlf": {strings.ReplaceAll(fmt.Sprintf(sampleBatch, "3f2c0000-0000-4000-8000-000000000002"), "\n", "\r\n"), "", 200,
			[]string{"204#1", "204#2", "200"}, "2"},
	}
	for _, name := range []string{"sample", "change set rolled back", "continue on error", "undeclared content id", "crlf"} {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			r := env.do("dv", "POST", "/api/data/v9.2/$batch", tc.body, "Content-Type", `multipart/mixed; boundary="batch_b1"`, "Prefer", tc.prefer)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %s", r.status, tc.want, r.body)
			}
			if diff := cmp.Diff(tc.statuses, batchStatuses(t, r)); diff != "" {
				t.Errorf("parts (-want +got):\n%s\n%s", diff, r.body)
			}
			if n := env.do("dv", "GET", "/api/data/v9.2/accounts/$count", ""); string(n.body) != tc.accounts {
				t.Errorf("accounts after the batch: %s, want %s", n.body, tc.accounts)
			}
		})
	}
	c := env.do("dv", "GET", "/api/data/v9.2/contacts("+goodID+")?$select=lastname,_parentcustomerid_value", "").json(t)
	if c["lastname"] != "Doe" || c["_parentcustomerid_value"] == nil {
		t.Errorf("contact from the batch: %v", c)
	}
}

func TestBatchLimit(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	var b strings.Builder
	for i := 0; i < 1001; i++ {
		fmt.Fprintf(&b, "--batch_x\r\nContent-Type: application/http\r\n\r\nGET /api/data/v9.2/WhoAmI HTTP/1.1\r\n\r\n\r\n")
	}
	b.WriteString("--batch_x--\r\n")
	r := env.do("dv", "POST", "/api/data/v9.2/$batch", b.String(), "Content-Type", "multipart/mixed; boundary=batch_x")
	if r.status != http.StatusBadRequest {
		t.Errorf("1001 operations: %d, want 400", r.status)
	}
}

// buildBatch makes a batch of n creates in one change set.
func buildBatch(svc string, n int, body func(i int) string) string {
	var b strings.Builder
	b.WriteString("--batch_x\r\nContent-Type: multipart/mixed; boundary=changeset_y\r\n\r\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "--changeset_y\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: %d\r\n\r\nPOST %s HTTP/1.1\r\nContent-Type: application/json\r\n\r\n%s\r\n", i+1, svc, body(i))
	}
	b.WriteString("--changeset_y--\r\n--batch_x--\r\n")
	return b.String()
}

func TestFinOpsBatch(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{FinOps: "demo", Rows: 2})
	cases := map[string]struct {
		groups   []string
		statuses []string
		count    string
	}{
		"committed":   {[]string{"B1", "B2"}, []string{"201#1", "201#2"}, "6"},
		"rolled back": {[]string{"B3", "B1"}, []string{"500#2"}, "6"},
	}
	for _, name := range []string{"committed", "rolled back"} {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			body := buildBatch("CustomerGroups?cross-company=true", len(tc.groups), func(i int) string {
				return `{"dataAreaId":"usmf","CustomerGroupId":"` + tc.groups[i] + `","Description":"batch"}`
			})
			r := env.do("fo", "POST", "/data/$batch", body, "Content-Type", "multipart/mixed; boundary=batch_x")
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if diff := cmp.Diff(tc.statuses, batchStatuses(t, r)); diff != "" {
				t.Errorf("parts (-want +got):\n%s\n%s", diff, r.body)
			}
			n := env.do("fo", "GET", "/data/CustomerGroups/$count?cross-company=true&$filter=dataAreaId eq 'usmf'", "")
			if string(n.body) != tc.count {
				t.Errorf("groups: %s, want %s", n.body, tc.count)
			}
		})
	}
}

// TestBatchOutsideChangeSets checks stop-at-first-failure and odata.continue-on-error for operations
// outside change sets: Dataverse answers 400 when it stopped, F&O 200 with the failure inside.
func TestBatchOutsideChangeSets(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{FinOps: "demo", Rows: 1})
	part := func(method, target, body string) string {
		return "--batch_x\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" + method + " " + target + " HTTP/1.1\r\nContent-Type: application/json\r\n\r\n" + body + "\r\n"
	}
	dv := part("POST", "accounts", `{"nosuch":1}`) + part("GET", "accounts?$top=1", "") + "--batch_x--\r\n"
	fo := part("POST", "CustomerGroups?cross-company=true", `{"dataAreaId":"usmf","CustomerGroupId":"10"}`) + part("GET", "LegalEntities", "") + "--batch_x--\r\n"
	cases := map[string]struct {
		svc, path, body, prefer string
		want                    int
		statuses                []string
	}{
		"dataverse stops":             {"dv", "/api/data/v9.2/$batch", dv, "", 400, []string{"400"}},
		"dataverse continues":         {"dv", "/api/data/v9.2/$batch", dv, "odata.continue-on-error", 200, []string{"400", "200"}},
		"finops stops with 200 outer": {"fo", "/data/$batch", fo, "", 200, []string{"500"}},
		"finops continues":            {"fo", "/data/$batch", fo, "odata.continue-on-error", 200, []string{"500", "200"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := env.do(tc.svc, "POST", tc.path, tc.body, "Content-Type", "multipart/mixed; boundary=batch_x", "Prefer", tc.prefer)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %s", r.status, tc.want, r.body)
			}
			if diff := cmp.Diff(tc.statuses, batchStatuses(t, r)); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
		})
	}
}
