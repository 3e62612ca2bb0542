package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Limits bound what one try of a request may cost.
type Limits struct {
	// ResponseTimeout bounds a whole answer, headers and body (default 5 minutes: Dataverse ends a
	// request after 2).
	ResponseTimeout time.Duration
	// MaxBody is the largest answer body read, in bytes (default 256 MiB).
	MaxBody int64
}

func (l Limits) withDefaults() Limits {
	if l.ResponseTimeout <= 0 {
		l.ResponseTimeout = 5 * time.Minute
	}
	if l.MaxBody <= 0 {
		l.MaxBody = 256 << 20
	}
	return l
}

// BodyTooLargeError is an answer whose body passed Limits.MaxBody; it is not retried.
type BodyTooLargeError struct {
	URL   string
	Limit int64
}

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("the answer of %s is larger than %d MiB, the most dwctl reads", e.URL, e.Limit>>20)
}

// boundedTransport reads each answer whole, under a deadline for headers and body together and a
// size limit, so a service that stalls mid-body or streams without end fails the try (and is
// retried where that is safe) instead of holding dwctl.
type boundedTransport struct {
	next   http.RoundTripper
	limits Limits
}

// RoundTrip implements http.RoundTripper.
func (b boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), b.limits.ResponseTimeout)
	resp, err := b.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, deadlineError(err, ctx, b.limits.ResponseTimeout)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, b.limits.MaxBody+1))
	resp.Body.Close()
	cancel()
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", deadlineError(err, ctx, b.limits.ResponseTimeout))
	}
	if int64(len(body)) > b.limits.MaxBody {
		return nil, &BodyTooLargeError{URL: req.URL.Redacted(), Limit: b.limits.MaxBody}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// deadlineError names the response deadline when it is what ended a try.
func deadlineError(err error, ctx context.Context, d time.Duration) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("no complete answer within %s: %w", d, err)
	}
	return err
}

// sameHostRedirects refuses a redirect to another scheme or host: a token or a body must never
// follow the service elsewhere.
func sameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	first := via[0].URL
	if !strings.EqualFold(req.URL.Scheme, first.Scheme) || !strings.EqualFold(req.URL.Host, first.Host) {
		return fmt.Errorf("refusing a redirect from %s://%s to %s: it leaves the service", first.Scheme, first.Host, req.URL.Redacted())
	}
	return nil
}

// bounded returns a copy of hc whose transport applies the limits and whose redirects stay on the
// host.
func bounded(hc *http.Client, l Limits) *http.Client {
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c := *hc
	c.Transport = boundedTransport{next: next, limits: l.withDefaults()}
	c.CheckRedirect = sameHostRedirects
	return &c
}
