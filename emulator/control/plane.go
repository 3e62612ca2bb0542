package control

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dwctl/dwctl/emulator/authority"
	"github.com/dwctl/dwctl/emulator/dataverse"
	"github.com/dwctl/dwctl/emulator/finops"
	"github.com/dwctl/dwctl/emulator/livesync"
	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/hashicorp/go-hclog"
)

// The emulated dual-write control plane: the management gateway's paths and shapes
// (protocols.md §4.5 [O], dwctl's own shape where the notes show none [U]) on the authority's
// listener, for tokens of authority.ControlAudience. Its state is kept in the store per object (package
// pairstate); every call that changes it runs in one store transaction with the rows it
// writes (runtime configuration, project configurations, companies, initial-sync rows).
//
// Asynchronous requests progress when they are polled: a request stays Waiting for
// ControlPolls reads of GET Status/{id} (default 1) and is carried out by the next one, which
// answers Completed or Error. Nothing depends on the wall clock.

// mgmt is the gateway's management prefix [O].
const mgmt = "/api/DualWriteManagement/1.0/"

// RefreshPath is the admin endpoint of the database-refresh simulation (see CopyDataTo).
const RefreshPath = "/_emulator/control/refresh"

// Plane is the control plane of one emulated pair.
type Plane struct {
	store     *store.Store
	dataverse *dataverse.Service
	finops    *finops.Service
	runtime   *livesync.Runtime
	tokens    *authority.Authority
	id        authority.Identity
	clock     func() time.Time
	log       hclog.Logger
	dataDir   string              // the pair's data directory, which a refresh must not copy onto
	urls      authority.Endpoints // set by SetEndpoints once the listeners are open

	cat *catalog   // what the gateway reads from the metadata and the state
	art *artefacts // what the control plane writes into the two environments

	cache pairstate.Cache // the last committed state
	mu    sync.Mutex      // serialises control-plane calls
	polls atomic.Int32    // Status reads a request stays Waiting

	// maxRows and maxLookups are the initial-sync limits: rows per company and run, and lookups of
	// a map synced from Dataverse [D].
	maxRows, maxLookups atomic.Int64
	guard               atomic.Pointer[runtimeGuard]
	alerts              alertLog // live-sync failures and fired alerts
}

// Config is what a control plane works on.
type Config struct {
	Store     *store.Store
	Dataverse *dataverse.Service
	FinOps    *finops.Service
	Runtime   *livesync.Runtime
	Tokens    *authority.Authority
	Clock     func() time.Time
	Log       hclog.Logger
	DataDir   string
}

// New returns the control plane of cfg's pair: it loads the state, registers the running maps with
// the runtime and takes the runtime's hooks (alerts, company names).
func New(cfg Config) *Plane {
	c := &Plane{store: cfg.Store, dataverse: cfg.Dataverse, finops: cfg.FinOps, runtime: cfg.Runtime, tokens: cfg.Tokens,
		id: cfg.Tokens.Identity(), clock: cfg.Clock, log: cfg.Log, dataDir: cfg.DataDir}
	c.cat = &catalog{store: c.store, urls: &c.urls}
	c.art = &artefacts{store: c.store, dataverse: c.dataverse, finops: c.finops, clock: c.clock, cat: c.cat}
	c.polls.Store(1)
	c.maxRows.Store(500000)
	c.maxLookups.Store(10)
	c.guard.Store(&runtimeGuard{})
	c.runtime.Pending = func(ctx context.Context) error {
		if c.pendingAlert() == "" {
			return nil
		}
		return c.applyAlert(ctx)
	}
	c.runtime.Failed = func() { c.noteFailure(c.guard.Load().alerts) }
	c.runtime.CompanyNames = c.cat.companyNames
	if err := c.store.EnsureQueue(); err != nil {
		c.log.Error("creating the live-sync queue", "error", err)
	}
	if st, err := c.loadState(context.Background()); err == nil {
		c.refreshGuard(st)
	}
	return c
}

// AddToSolution records a new msdyn_dualwriteentitymap row as a component of the unmanaged
// solution named by MSCRM.SolutionUniqueName (the Dataverse service's hook).
func (c *Plane) AddToSolution(ctx context.Context, t *store.Table, row *store.Row, uniqueName string) *wire.Error {
	return c.art.addToSolution(ctx, t, row, uniqueName)
}

// SetEndpoints tells the control plane where the pair listens.
func (c *Plane) SetEndpoints(ep authority.Endpoints) { c.urls = ep }

// SetPolls sets how many Status reads an asynchronous request stays Waiting before the next read
// carries it out (0: the first read does).
func (c *Plane) SetPolls(n int) { c.polls.Store(int32(max(n, 0))) }

// SetInitialSyncLimits sets the documented initial-sync limits: rows per company and run (default
// 500,000) and the number of lookups from which a map cannot be synced from Dataverse (default 10).
// Zero or less keeps a limit unchanged.
func (c *Plane) SetInitialSyncLimits(rowsPerCompany, lookups int) {
	if rowsPerCompany > 0 {
		c.maxRows.Store(int64(rowsPerCompany))
	}
	if lookups > 0 {
		c.maxLookups.Store(int64(lookups))
	}
}

// catalog reads what the gateway shows from the store's metadata and the state: map names,
// definitions checked against the tables, templates, keys, prerequisites, the link's environments.
// It never writes.
type catalog struct {
	store *store.Store
	urls  *authority.Endpoints
}

// artefacts writes what dual-write keeps in the two environments: runtime and project
// configurations, partitions, entity maps, companies, solution components.
type artefacts struct {
	store     *store.Store
	dataverse *dataverse.Service
	finops    *finops.Service
	clock     func() time.Time
	cat       *catalog
}

// gwError is an error answer of the gateway: {"error":{"code","message"}} [U].
type gwError struct {
	status        int
	code, message string
}

func (g *gwError) Error() string { return g.message }

func gwErr(status int, code, format string, args ...any) *gwError {
	return &gwError{status: status, code: code, message: wire.Sprintf(format, args...)}
}

// ctlHandler is one call: it reads or changes st and returns the answer's body.
type ctlHandler func(ctx context.Context, r *http.Request, st *pairstate.State) (any, error)

// Register mounts the gateway's paths and the refresh endpoint on mux (the authority listener).
func (c *Plane) Register(mux *http.ServeMux) {
	routes := map[string]struct {
		h     ctlHandler
		write bool
	}{
		"GET " + mgmt + "Version":                                 {c.version, false},
		"GET " + mgmt + "Environments":                            {c.environments, false},
		"GET " + mgmt + "Entities":                                {c.entities, false},
		"GET " + mgmt + "{first}/{second}":                        {c.projectOrStatus, true},
		"POST " + mgmt + "SolutionAware/{cid}/SwitchActive/{tid}": {c.switchActive, true},
		"GET " + mgmt + "SolutionAware/{cid}/Solutions/":          {c.solutions, false},
		"POST " + mgmt + "SolutionAware/{cid}/RestoreTemplates":   {c.restoreTemplates, true},
		"GET " + mgmt + "SolutionAware/{cid}/Status/{id}":         {c.solutionStatus, true},
		"POST " + mgmt + "GetTemplatePrerequisiteSequences/{cid}": {c.prerequisites, false},
		"POST " + mgmt + "Start":                                  {c.start, true},
		"GET /api/ConnectionSet/{cname}":                          {c.getConnectionSet, false},
		"POST /api/ConnectionSet":                                 {c.createLink, true},
		"POST /api/ConnectionSet/{cid}/Reset":                     {c.reset, true},
		"POST /api/ConnectionSet/{cid}/LegalEntities":             {c.addLegalEntities, true},
		"POST /api/ConnectionSet/{cid}/LegalEntities/Remove":      {c.removeLegalEntities, true},
		"POST /api/ConnectionSet/{cid}/AlertSettings":             {c.setAlerts, true},
		"POST /api/dataset/{name}/IntegrationKeys":                {c.setKeys, true},
		"POST /api/Project/{name}/Refresh":                        {c.refreshTables, false},
		"GET /api/ProjectExecutionWithCompanies/{pid}":            {c.executions, false},
	}
	for pattern, rt := range routes {
		mux.Handle(pattern, c.serve(rt.h, rt.write))
	}
	mux.HandleFunc("POST "+RefreshPath, c.serveRefresh)
}

// serve authorises the call, runs h under the control lock (in a store transaction when it
// writes) and writes its answer.
func (c *Plane) serve(h ctlHandler, write bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := c.tokens.Authorize(r, authority.ControlAudience); err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+authority.DescribeTokenError(err)+`"`)
			c.answer(w, nil, gwErr(http.StatusUnauthorized, "Unauthorized", "Authentication failed: %s.", authority.DescribeTokenError(err)))
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		var out any
		var saved *pairstate.State
		var gen uint64
		run := func(ctx context.Context) error {
			if write {
				if err := c.applyAlert(ctx); err != nil {
					return err
				}
			}
			_, gen = c.cache.Get()
			st, err := c.loadState(ctx)
			if err != nil {
				return err
			}
			if out, err = h(ctx, r, st); err != nil {
				return err
			}
			if write {
				if err := c.saveState(ctx, st); err != nil {
					return err
				}
				saved = st
			}
			return nil
		}
		// The control plane's writes are dual-write's own: they do not trigger live sync.
		ctx := store.AsDualWrite(r.Context())
		var err error
		if write {
			err = c.store.Update(ctx, run)
			if err == nil && saved != nil {
				saved.Detach()
				c.cache.Set(saved, gen)
			} else if st, lerr := c.loadState(ctx); lerr == nil {
				c.refreshGuard(st) // the committed state, after a rollback
			}
		} else {
			if c.pendingAlert() != "" {
				if aerr := c.store.Update(ctx, c.applyAlert); aerr != nil {
					c.log.Error("taking an alert's action", "error", aerr)
				}
			}
			err = run(ctx)
		}
		c.answer(w, out, err)
	})
}

func (c *Plane) answer(w http.ResponseWriter, out any, err error) {
	if err != nil {
		var g *gwError
		if !errors.As(err, &g) {
			c.log.Error("control plane", "error", err)
			g = gwErr(http.StatusInternalServerError, "InternalServerError", "%v", err)
		}
		wire.WritePlainJSON(w, g.status, map[string]any{"error": map[string]string{"code": g.code, "message": g.message}})
		return
	}
	if out == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	wire.WritePlainJSON(w, http.StatusOK, out)
}

// readJSON decodes the request body into v.
func readJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		return gwErr(http.StatusBadRequest, "BadRequest", "reading the body: %v", err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return gwErr(http.StatusBadRequest, "BadRequest", "The request body is not valid JSON: %v", err)
	}
	return nil
}

// needLink returns the link, or the answer for a pair without one.
func needLink(st *pairstate.State) (*pairstate.Link, error) {
	if st.Link == nil {
		return nil, gwErr(http.StatusNotFound, "ConnectionSetNotFound", "The finance and operations environment is not linked to a Dataverse environment.")
	}
	return st.Link, nil
}

// needCID checks the connection set id of the path.
func needCID(st *pairstate.State, cid string) (*pairstate.Link, error) {
	l, err := needLink(st)
	if err != nil {
		return nil, err
	}
	if !equalFoldTrim(l.CID, cid) {
		return nil, gwErr(http.StatusNotFound, "ConnectionSetNotFound", "Connection set %s was not found.", cid)
	}
	return l, nil
}
