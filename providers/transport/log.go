package transport

import (
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/hashicorp/go-hclog"
)

// loggedHeaders are the only headers whose values ever reach a log line; every other header is logged
// by name only, so Authorization, cookies and anything unknown stay out of the logs.
var loggedHeaders = map[string]bool{
	"Accept": true, "Content-Type": true, "Content-Length": true, "Prefer": true,
	"Preference-Applied": true, "Odata-Version": true, "Odata-Maxversion": true, "If-Match": true,
	"If-None-Match": true, "Etag": true, "Retry-After": true, "Odata-Entityid": true, "Location": true,
	"Req_id": true, "X-Ms-Service-Request-Id": true,
}

// headerFields renders h for a trace line, values only for allow-listed headers.
func headerFields(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		k = http.CanonicalHeaderKey(k)
		if loggedHeaders[k] && len(v) > 0 {
			out[k] = v[0]
		} else {
			out[k] = "REDACTED"
		}
	}
	return out
}

// logPolicy logs one line per try: method, URL without query values it does not know, status, time.
type logPolicy struct{ log hclog.Logger }

// Do implements policy.Policy.
func (p logPolicy) Do(req *policy.Request) (*http.Response, error) {
	raw := req.Raw()
	start := time.Now()
	if p.log.IsTrace() {
		p.log.Trace("request", "method", raw.Method, "url", raw.URL.Redacted(), "headers", headerFields(raw.Header))
	}
	resp, err := req.Next()
	elapsed := time.Since(start).Round(time.Millisecond)
	if err != nil {
		p.log.Debug("request failed", "method", raw.Method, "url", raw.URL.Redacted(), "elapsed", elapsed, "error", err)
		return resp, err
	}
	p.log.Debug("response", "method", raw.Method, "url", raw.URL.Redacted(), "status", resp.StatusCode, "elapsed", elapsed)
	if p.log.IsTrace() {
		p.log.Trace("response headers", "headers", headerFields(resp.Header))
	}
	return resp, err
}

// loggingTransport logs the requests azidentity makes to the token authority: method, URL and status.
// Bodies (which hold the client secret and the token) are never read here.
type loggingTransport struct {
	next http.RoundTripper
	log  hclog.Logger
}

// RoundTrip implements http.RoundTripper.
func (t loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	elapsed := time.Since(start).Round(time.Millisecond)
	if err != nil {
		t.log.Debug("authority request failed", "method", req.Method, "url", req.URL.Redacted(), "error", err)
		return resp, err
	}
	t.log.Debug("authority response", "method", req.Method, "url", req.URL.Redacted(), "status", resp.StatusCode, "elapsed", elapsed)
	if t.log.IsTrace() {
		t.log.Trace("authority headers", "request", headerFields(req.Header), "response", headerFields(resp.Header))
	}
	return resp, err
}
