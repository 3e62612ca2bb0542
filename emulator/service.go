package emulator

import (
	"context"
	"errors"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/dwctl/dwctl/emulator/authority"
	"github.com/dwctl/dwctl/emulator/faults"
	"github.com/dwctl/dwctl/emulator/protection"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// FaultsPath is the admin endpoint every listener serves for fault injection (see faults.Injector.ServeAdmin).
// It needs no token: it exists for tests and demos on loopback.
const FaultsPath = faults.Path

// LimitsPath is the admin endpoint of the data listeners' service protection limits.
const LimitsPath = protection.Path

// service is one listener: the common front (fault injection, bearer check, service protection limits)
// in front of a service's router.
type service struct {
	e         *Emulator
	svc       store.Service // empty for the authority
	base      string
	audiences []string
	faults    *faults.Injector
	limits    *protection.Limiter
	router    http.Handler
}

type claimsKey struct{}

func (e *Emulator) buildServices() {
	spec, _ := faults.Parse(e.opts.Faults) // checked by Start
	e.authMux = http.NewServeMux()
	e.tokens.Register(e.authMux)
	e.control.Register(e.authMux)
	e.dv = &service{e: e, svc: store.Dataverse, base: e.info.DataverseURL, router: e.dataverse,
		faults: faults.NewInjector(spec), limits: protection.NewLimiter(e.opts.DataverseLimits, e.clock)}
	e.fo = &service{e: e, svc: store.FinOps, base: e.info.FinOpsURL, router: e.finops,
		faults: faults.NewInjector(spec), limits: protection.NewLimiter(e.opts.FinOpsLimits, e.clock)}
	none, _ := faults.Parse("")
	e.auth = &service{e: e, base: e.info.AuthorityURL, router: e.authMux, faults: faults.NewInjector(none)}
	e.dv.audiences = authority.LoopbackAliases(e.info.DataverseURL)
	e.fo.audiences = authority.LoopbackAliases(e.info.FinOpsURL)
}

// clock is the emulator's time: the wall clock plus the test skew.
func (e *Emulator) clock() time.Time { return time.Now().Add(time.Duration(e.skew.Load())) }

// ServeHTTP runs the front (admin endpoint, faults, bearer check, limits) and then the router.
func (s *service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == FaultsPath:
		s.faults.ServeAdmin(w, r)
		return
	case r.URL.Path == LimitsPath && s.limits != nil:
		s.limits.ServeAdmin(w, r)
		return
	}
	start := time.Now()
	rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p) // an injected dropped connection
			}
			s.e.log.Error("request failed", "service", s.name(), "method", r.Method, "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
			if !rec.wrote {
				wire.WriteError(rec, s.svc, wire.NewError(http.StatusInternalServerError, "0x80040216", "An unexpected error occurred."))
			}
		}
		s.e.log.Debug("request", "service", s.name(), "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	}()
	if s.svc != "" {
		rec.Header().Set("OData-Version", "4.0")
	}
	if s.svc == store.Dataverse {
		rec.Header()["REQ_ID"] = []string{wire.NewGUID()} // the service's request id header [O], as spelled
	}
	lost, ok := s.injectFaults(rec, r)
	if !ok {
		return
	}
	if lost {
		// The request is carried out in full, then its answer is lost with the connection: what a
		// client sees when a write was applied but the network failed on the way back.
		rec = &statusWriter{ResponseWriter: &discardWriter{header: http.Header{}}, status: http.StatusOK}
		defer func() { panic(http.ErrAbortHandler) }()
	}
	if s.svc == "" {
		s.router.ServeHTTP(rec, r)
		return
	}
	claims, err := s.e.Authorize(r, s.audiences...)
	if err != nil {
		s.refuse(rec, err)
		return
	}
	release, th := s.limits.Acquire(claims.AppID)
	if th != nil {
		code, msg := protection.ThrottleError(s.svc, th, s.limits.Current())
		wire.WriteError(rec, s.svc, &wire.Error{Status: http.StatusTooManyRequests, Code: code, Message: msg, RetryAfter: th.RetryAfter})
		return
	}
	if s.svc == store.Dataverse {
		reqs, exec := s.limits.Remaining(claims.AppID)
		rec.Header().Set("x-ms-ratelimit-burst-remaining-xrm-requests", strconv.Itoa(reqs))
		rec.Header().Set("x-ms-ratelimit-time-remaining-xrm-requests", strconv.FormatFloat(float64(exec.Milliseconds()), 'f', 2, 64))
	}
	ctx, meter := wire.WithMeter(context.WithValue(r.Context(), claimsKey{}, claims))
	defer func() { release(meter.Total()) }()
	s.router.ServeHTTP(rec, r.WithContext(ctx))
}

func (s *service) name() string {
	if s.svc == "" {
		return "authority"
	}
	return string(s.svc)
}

// discardWriter swallows an answer that is to be lost.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// injectFaults applies latency and any fault the injector picks; ok false means the answer is given,
// lost true that the request is to be carried out and its answer dropped.
func (s *service) injectFaults(w http.ResponseWriter, r *http.Request) (lost, ok bool) {
	lat, kind, retryAfter := s.faults.Decide()
	if s.svc != "" {
		lat += s.e.opts.Latency
	}
	if lat > 0 {
		t := time.NewTimer(lat)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return false, false
		}
	}
	switch kind {
	case "":
		return false, true
	case "lost":
		return true, true
	case "drop":
		panic(http.ErrAbortHandler) // closes the connection without an answer
	}
	status, _ := strconv.Atoi(kind)
	e := &wire.Error{Status: status, Message: http.StatusText(status) + " (injected by the emulator)"}
	if status == http.StatusTooManyRequests {
		var lim protection.Limits
		if s.limits != nil {
			lim = s.limits.Current()
		}
		code, msg := protection.ThrottleError(s.svc, &protection.Throttle{Kind: "requests"}, lim)
		e.Code, e.Message, e.RetryAfter = code, msg, retryAfter
		if s.svc == store.FinOps {
			e.Message = "This request could not be processed at this time due to system experiencing high resource utilization."
		}
	}
	wire.WriteError(w, s.svc, e)
	return false, false
}

// refuse answers 401 with the services' WWW-Authenticate challenge, which names the authority and the
// resource [O].
func (s *service) refuse(w http.ResponseWriter, err error) {
	challenge := "Bearer authorization_uri=" + s.e.info.AuthorityURL + "/" + s.e.id.TenantID + "/oauth2/authorize, resource_id=" + s.base + "/"
	w.Header().Set("WWW-Authenticate", challenge)
	code := wire.CodeUnauthorized
	if s.svc == store.FinOps {
		code = ""
	}
	wire.WriteError(w, s.svc, wire.NewError(http.StatusUnauthorized, code, "Authentication failed: %s.", authority.DescribeTokenError(err)))
}

// Authorize checks the bearer token of r: signed by this emulator's authority, within its lifetime,
// issued to the registered application and for one of audiences. Handlers mounted with
// HandleAuthority call it with ControlAudience.
func (e *Emulator) Authorize(r *http.Request, audiences ...string) (authority.Claims, error) {
	return e.tokens.Authorize(r, audiences...)
}

// TokenFor issues an access token for audience as the authority would, for tests and tools that need
// one without a round trip.
func (e *Emulator) TokenFor(audience string, lifetime time.Duration) (string, error) {
	return e.tokens.TokenFor(audience, lifetime)
}

// claimsFrom returns the claims Authorize accepted for the request.
func claimsFrom(ctx context.Context) (authority.Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(authority.Claims)
	return c, ok
}

// statusWriter records the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

// WriteHeader records the status and passes it on.
func (w *statusWriter) WriteHeader(code int) {
	w.status, w.wrote = code, true
	w.ResponseWriter.WriteHeader(code)
}

// Write marks the answer as started.
func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

var errNotFound = errors.New("not found")
