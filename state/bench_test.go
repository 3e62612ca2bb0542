package state

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkPut measures one state write of a 500-object state, the cost an
// apply pays after every action.
func BenchmarkPut(b *testing.B) {
	backends := map[string]func(b *testing.B) Backend{
		"local": func(b *testing.B) Backend { return NewLocal(filepath.Join(b.TempDir(), "state.json")) },
		"pg": func(b *testing.B) Backend {
			p, err := NewPG(context.Background(), PGConfig{Conn: pgServer.URL, Workspace: fmt.Sprint("bench-", workspaceSeq.Add(1))})
			if err != nil {
				b.Fatal(err)
			}
			return p
		},
	}
	for name, open := range backends {
		b.Run(name, func(b *testing.B) {
			be := open(b)
			defer be.Close()
			ctx := context.Background()
			if _, err := be.Lock(ctx, LockInfo{Operation: "bench"}); err != nil {
				b.Fatal(err)
			}
			s := New()
			for i := range 500 {
				s.SetObject(fmt.Sprintf("table_map.m%03d", i), Object{
					Identity:    map[string]string{"finops": "E", "dataverse": "t"},
					Fingerprint: "sha256:0123456789abcdef",
					Attributes:  json.RawMessage(`{"fields":[{"finops":"A","dataverse":"a","direction":"both"}]}`),
				})
			}
			b.ResetTimer()
			for b.Loop() {
				if err := be.Put(ctx, s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
