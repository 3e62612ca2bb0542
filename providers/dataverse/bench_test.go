package dataverse

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

// BenchmarkListRows100k measures what the client costs per row when paging through 100,000 rows of
// 5,000 (token, TLS, HTTP, JSON decoding, callbacks): the server answers from pre-rendered pages, so
// nearly all the time is the client's.
func BenchmarkListRows100k(b *testing.B) {
	const rows, size = 100000, MaxPageSize
	pages := make([][]byte, rows/size)
	for p := range pages {
		var sb strings.Builder
		sb.WriteString(`{"@odata.context":"x","value":[`)
		for i := 0; i < size; i++ {
			if i > 0 {
				sb.WriteByte(',')
			}
			n := p*size + i
			fmt.Fprintf(&sb, `{"@odata.etag":"W/\"%d\"","accountid":"00000000-0000-0000-0000-%012d","name":"Account %d","accountnumber":"A%d","revenue":%d.25,"statecode":0}`, n, n, n, n, n)
		}
		sb.WriteString(`]`)
		if p+1 < len(pages) {
			fmt.Fprintf(&sb, `,"@odata.nextLink":"/api/data/v9.2/accounts?$select=accountid,name&$skiptoken=%d"`, p+1)
		}
		sb.WriteString(`}`)
		pages[p] = []byte(sb.String())
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := strconv.Atoi(r.URL.Query().Get("$skiptoken"))
		w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
		_, _ = w.Write(pages[p])
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
	q := providers.Query{Select: []string{"accountid", "name"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		err := c.ListRows(context.Background(), "accounts", q, func(page []providers.Row) error { n += len(page); return nil })
		if err != nil || n != rows {
			b.Fatalf("%d rows, %v", n, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
}
