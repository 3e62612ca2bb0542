package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/dwctl/dwctl/emulator/authority"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// The emulated dual-write control plane: the management gateway's paths and shapes
// (protocols.md §4.5 [O], dwctl's own shape where the notes show none [U]) on the authority's
// listener, for tokens of ControlAudience. Its state is one JSON document in the store (see
// controlStateSetting); every call that changes it runs in one store transaction with the rows it
// writes (runtime configuration, project configurations, companies, initial-sync rows).
//
// Asynchronous requests progress when they are polled: a request stays Waiting for
// ControlPolls reads of GET Status/{id} (default 1) and is carried out by the next one, which
// answers Completed or Error. Nothing depends on the wall clock.

// mgmt is the gateway's management prefix [O].
const mgmt = "/api/DualWriteManagement/1.0/"

// ControlRefreshPath is the admin endpoint of the database-refresh simulation (see CopyDataTo).
const ControlRefreshPath = "/_emulator/control/refresh"

// controlPlane serves the control plane of one emulator.
type controlPlane struct {
	e     *Emulator
	mu    sync.Mutex   // serialises control-plane calls
	polls atomic.Int32 // Status reads a request stays Waiting

	// maxRows and maxLookups are the initial-sync limits: rows per company and run, and lookups of
	// a map synced from Dataverse [D].
	maxRows, maxLookups atomic.Int64
	guard               atomic.Pointer[runtimeGuard]
	alerts              alertLog // live-sync failures and fired alerts
}

func newControlPlane(e *Emulator) *controlPlane {
	c := &controlPlane{e: e}
	c.polls.Store(1)
	c.maxRows.Store(500000)
	c.maxLookups.Store(10)
	c.guard.Store(&runtimeGuard{})
	e.runtime.Pending = func(ctx context.Context) error {
		if c.pendingAlert() == "" {
			return nil
		}
		return c.applyAlert(ctx)
	}
	e.runtime.Failed = func() { c.noteFailure(c.guard.Load().alerts) }
	e.runtime.CompanyNames = c.companyNames
	if err := e.store.EnsureQueue(); err != nil {
		e.log.Error("creating the live-sync queue", "error", err)
	}
	if st, err := c.loadState(context.Background()); err == nil {
		c.refreshGuard(st)
	}
	return c
}

// SetControlPolls sets how many Status reads an asynchronous request stays Waiting before the next
// read carries it out (0: the first read does).
func (e *Emulator) SetControlPolls(n int) { e.control.polls.Store(int32(max(n, 0))) }

// SetInitialSyncLimits sets the documented initial-sync limits the emulator checks: rows per company
// and run (default 500,000) and the number of lookups from which a map cannot be synced from
// Dataverse (default 10). Zero or less keeps a limit unchanged.
func (e *Emulator) SetInitialSyncLimits(rowsPerCompany, lookups int) {
	if rowsPerCompany > 0 {
		e.control.maxRows.Store(int64(rowsPerCompany))
	}
	if lookups > 0 {
		e.control.maxLookups.Store(int64(lookups))
	}
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
type ctlHandler func(ctx context.Context, r *http.Request, st *ctlState) (any, error)

func (c *controlPlane) register(mux *http.ServeMux) {
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
	mux.HandleFunc("POST "+ControlRefreshPath, c.serveRefresh)
}

// serve authorises the call, runs h under the control lock (in a store transaction when it
// writes) and writes its answer.
func (c *controlPlane) serve(h ctlHandler, write bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := c.e.Authorize(r, ControlAudience); err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+authority.DescribeTokenError(err)+`"`)
			c.answer(w, nil, gwErr(http.StatusUnauthorized, "Unauthorized", "Authentication failed: %s.", authority.DescribeTokenError(err)))
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		var out any
		run := func(ctx context.Context) error {
			if write {
				if err := c.applyAlert(ctx); err != nil {
					return err
				}
			}
			st, err := c.loadState(ctx)
			if err != nil {
				return err
			}
			if out, err = h(ctx, r, st); err != nil {
				return err
			}
			if write {
				return c.saveState(ctx, st)
			}
			return nil
		}
		// The control plane's writes are dual-write's own: they do not trigger live sync.
		ctx := store.AsDualWrite(r.Context())
		var err error
		if write {
			err = c.e.store.Update(ctx, run)
			if st, lerr := c.loadState(ctx); lerr == nil {
				c.refreshGuard(st) // the committed state, also after a rollback
			}
		} else {
			if c.pendingAlert() != "" {
				if aerr := c.e.store.Update(ctx, c.applyAlert); aerr != nil {
					c.e.log.Error("taking an alert's action", "error", aerr)
				}
			}
			err = run(ctx)
		}
		c.answer(w, out, err)
	})
}

func (c *controlPlane) answer(w http.ResponseWriter, out any, err error) {
	if err != nil {
		var g *gwError
		if !errors.As(err, &g) {
			c.e.log.Error("control plane", "error", err)
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
func needLink(st *ctlState) (*ctlLink, error) {
	if st.Link == nil {
		return nil, gwErr(http.StatusNotFound, "ConnectionSetNotFound", "The finance and operations environment is not linked to a Dataverse environment.")
	}
	return st.Link, nil
}

// needCID checks the connection set id of the path.
func needCID(st *ctlState, cid string) (*ctlLink, error) {
	l, err := needLink(st)
	if err != nil {
		return nil, err
	}
	if !equalFoldTrim(l.CID, cid) {
		return nil, gwErr(http.StatusNotFound, "ConnectionSetNotFound", "Connection set %s was not found.", cid)
	}
	return l, nil
}
