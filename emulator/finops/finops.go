package finops

import (
	"context"
	"net/http"
	"time"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// Service is the emulated F&O OData service (/data/ and /Metadata/) of one environment over the
// pair's store.
type Service struct {
	store    *store.Store
	base     string // https://host:port, the environment URL
	clock    func() time.Time
	pageSize int
	cursors  pageCursors // where F&O pages ended (cursors.go)

	// Hooks are the dual-write parts that take part in every write; set them before serving.
	Hooks Hooks
}

// Hooks are what dual-write adds to F&O writes. Every hook is optional and runs in the write's store
// transaction.
type Hooks struct {
	// Written is told of a stored write (old nil on create, row nil on delete); an error fails the write.
	Written func(ctx context.Context, t *store.Table, old, row map[string]any) *wire.Error
}

// New returns the F&O service over st; pageSize is the server-driven page size.
func New(st *store.Store, clock func() time.Time, pageSize int) *Service {
	return &Service{store: st, clock: clock, pageSize: pageSize}
}

// SetBaseURL sets the environment URL, once the listener is open; the service serves after it.
func (fo *Service) SetBaseURL(u string) { fo.base = u }

// ServeHTTP serves one request that passed the front (bearer token, limits).
func (fo *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { fo.serveFinOps(w, r) }

func (fo *Service) syncWrite(ctx context.Context, t *store.Table, old, row map[string]any) *wire.Error {
	if fo.Hooks.Written == nil {
		return nil
	}
	return fo.Hooks.Written(ctx, t, old, row)
}
