package dataverse

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/dwctl/dwctl/emulator/authority"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/hashicorp/go-hclog"
)

// Service is the emulated Dataverse Web API of one environment over the pair's store.
type Service struct {
	store         *store.Store
	base          string // https://host:port, the environment URL
	id            authority.Identity
	clock         func() time.Time
	log           hclog.Logger
	keyIndexDelay time.Duration
	keyMu         sync.Mutex // serialises metadata writes with the key lifecycle

	// Hooks are the dual-write parts that take part in every write; set them before serving.
	Hooks Hooks
}

// Hooks are what dual-write adds to Dataverse writes. Every hook is optional and runs in the write's
// store transaction.
type Hooks struct {
	// Guard refuses a write to t, e.g. while the runtime configuration names another environment.
	Guard func(ctx context.Context, t *store.Table) *wire.Error
	// Before reads the row a write is about to replace when live sync needs it (nil otherwise).
	Before func(ctx context.Context, t *store.Table, id string) map[string]any
	// Written is told of a stored write (old nil on create, row nil on delete); an error fails the write.
	Written func(ctx context.Context, t *store.Table, old, row map[string]any) *wire.Error
	// AddToSolution records a created row as a component of the named solution ("" for none).
	AddToSolution func(ctx context.Context, t *store.Table, row *store.Row, solution string) *wire.Error
}

// Config is what a Service needs.
type Config struct {
	Store         *store.Store
	Identity      authority.Identity
	Clock         func() time.Time
	Log           hclog.Logger
	KeyIndexDelay time.Duration // how long a new alternate key stays Pending/InProgress
}

// New returns the Dataverse service of cfg.
func New(cfg Config) *Service {
	return &Service{store: cfg.Store, id: cfg.Identity, clock: cfg.Clock, log: cfg.Log, keyIndexDelay: cfg.KeyIndexDelay}
}

// SetBaseURL sets the environment URL, once the listener is open; the service serves after it.
func (dv *Service) SetBaseURL(u string) { dv.base = u }

// ServeHTTP serves one request that passed the front (bearer token, limits).
func (dv *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { dv.serveDataverse(w, r) }

func (dv *Service) checkRuntime(ctx context.Context, t *store.Table) *wire.Error {
	if dv.Hooks.Guard == nil {
		return nil
	}
	return dv.Hooks.Guard(ctx, t)
}

func (dv *Service) runtimeOld(ctx context.Context, t *store.Table, id string) map[string]any {
	if dv.Hooks.Before == nil {
		return nil
	}
	return dv.Hooks.Before(ctx, t, id)
}

func (dv *Service) syncWrite(ctx context.Context, t *store.Table, old, row map[string]any) *wire.Error {
	if dv.Hooks.Written == nil {
		return nil
	}
	return dv.Hooks.Written(ctx, t, old, row)
}

func (dv *Service) addToSolution(ctx context.Context, t *store.Table, row *store.Row, solution string) *wire.Error {
	if dv.Hooks.AddToSolution == nil {
		return nil
	}
	return dv.Hooks.AddToSolution(ctx, t, row, solution)
}
