package finops

import (
	"context"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/recording"
)

// BenchmarkListRows100k measures what the client costs per row when paging through 100,000 rows in
// F&O's server-driven pages of 10,000: the server answers from pre-rendered pages, so nearly all the
// time is the client's.
func BenchmarkListRows100k(b *testing.B) {
	const rows, size = 100000, 10000
	pages := make([][]byte, rows/size)
	for p := range pages {
		var sb strings.Builder
		sb.WriteString(`{"@odata.context":"x","value":[`)
		for i := 0; i < size; i++ {
			if i > 0 {
				sb.WriteByte(',')
			}
			n := p*size + i
			fmt.Fprintf(&sb, `{"@odata.etag":"W/\"JzAs%d\"","dataAreaId":"usmf","CustomerAccount":"US-%06d","OrganizationName":"Customer %d","CustomerGroupId":"10","CreditLimit":%d.5,"OnHoldStatus":"No"}`, n, n, n, n)
		}
		sb.WriteString(`]`)
		if p+1 < len(pages) {
			fmt.Fprintf(&sb, `,"@odata.nextLink":"/data/CustomersV3?cross-company=true&$skip=%d"`, (p+1)*size)
		}
		sb.WriteString(`}`)
		pages[p] = []byte(sb.String())
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		skip, _ := strconv.Atoi(r.URL.Query().Get("$skip"))
		w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
		_, _ = w.Write(pages[skip/size])
	}))
	defer srv.Close()
	ca := filepath.Join(b.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		b.Fatal(err)
	}
	c, err := New(Options{URL: srv.URL, Credential: recording.Token{}, CAFile: ca})
	if err != nil {
		b.Fatal(err)
	}
	q := providers.Query{AllCompanies: true}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		err := c.ListRows(context.Background(), "CustomersV3", q, func(page []providers.Row) error { n += len(page); return nil })
		if err != nil || n != rows {
			b.Fatalf("%d rows, %v", n, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
}
