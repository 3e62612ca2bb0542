package transport

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-retryablehttp"
)

// RetryOptions bounds the retries of one request. A 429 is always retried after its Retry-After (the
// service refused the request before running it); 502, 503, 504 and dropped connections are retried
// with jittered exponential backoff only when the request is safe to repeat.
type RetryOptions struct {
	// MaxRetries is the number of retries after the first try; 0 means 5, a negative value none.
	MaxRetries int
	// MinWait and MaxWait bound the backoff used when the service names no Retry-After
	// (defaults 500 ms and 30 s).
	MinWait, MaxWait time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits for (default 5 minutes). A Retry-After
	// is always waited in full: a longer one fails the request with an error naming the wait
	// (*RetryAfterError), never a retry before the service allows it.
	MaxRetryAfter time.Duration
	// Wait, when set, receives every delay the policy computed and returns the delay actually waited.
	// Tests use it to record Retry-After values without sleeping.
	Wait func(time.Duration) time.Duration
}

func (o RetryOptions) withDefaults() RetryOptions {
	switch {
	case o.MaxRetries == 0:
		o.MaxRetries = 5
	case o.MaxRetries < 0:
		o.MaxRetries = 0
	}
	if o.MinWait <= 0 {
		o.MinWait = 500 * time.Millisecond
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 30 * time.Second
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = 5 * time.Minute
	}
	return o
}

type repeatableKey struct{}

func withRepeatable(ctx context.Context, ok bool) context.Context {
	return context.WithValue(ctx, repeatableKey{}, ok)
}

func repeatable(ctx context.Context) bool {
	ok, _ := ctx.Value(repeatableKey{}).(bool)
	return ok
}

// RetryAfterError is an answer asking to wait longer than RetryOptions.MaxRetryAfter.
type RetryAfterError struct {
	Status int
	Wait   time.Duration
	Max    time.Duration
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("the service answered %d and asks to wait %s before trying again (Retry-After), longer than dwctl waits (%s); "+
		"run again after that", e.Status, e.Wait.Round(time.Second), e.Max)
}

// checkRetry decides whether to send the request again.
func (o RetryOptions) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var tooLarge *BodyTooLargeError
		if errors.As(err, &tooLarge) {
			return false, err
		}
		// Certificate, scheme and redirect failures are never retried.
		again, _ := retryablehttp.ErrorPropagatedRetryPolicy(ctx, nil, err)
		return again && repeatable(ctx), nil
	}
	if d, ok := retryAfter(resp); ok && d > o.MaxRetryAfter && (resp.StatusCode == http.StatusTooManyRequests || repeatable(ctx)) {
		return false, &RetryAfterError{Status: resp.StatusCode, Wait: d, Max: o.MaxRetryAfter}
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true, nil
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return repeatable(ctx), nil
	}
	return false, nil
}

// backoff returns the wait before retry number attempt+1.
func (o RetryOptions) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	d, ok := retryAfter(resp)
	if !ok {
		ceiling := minWait << min(attempt, 20)
		if ceiling <= 0 || ceiling > maxWait {
			ceiling = maxWait
		}
		// Equal jitter: half fixed, half random, so concurrent clients spread out.
		d = ceiling/2 + rand.N(ceiling/2+1)
	}
	if o.Wait != nil {
		return o.Wait(d)
	}
	return d
}

// retryAfter reads Retry-After (seconds or an HTTP date) from a 429 or 503.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
		return 0, false
	}
	return ParseRetryAfter(resp.Header.Get("Retry-After"))
}

// maxRetryAfterSeconds bounds what ParseRetryAfter returns (a day), whatever the service sent.
const maxRetryAfterSeconds = 86400

// ParseRetryAfter parses a Retry-After value: whole seconds or an HTTP date, at most a day away.
func ParseRetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(min(s, maxRetryAfterSeconds)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(time.Until(t), 0), maxRetryAfterSeconds*time.Second), true
	}
	return 0, false
}

// newRetryClient wraps base in a go-retryablehttp client using these options.
func (o RetryOptions) newRetryClient(base *http.Client, log hclog.Logger) *retryablehttp.Client {
	o = o.withDefaults()
	return &retryablehttp.Client{
		HTTPClient:   base,
		Logger:       traceLogger{log},
		RetryWaitMin: o.MinWait,
		RetryWaitMax: o.MaxWait,
		RetryMax:     o.MaxRetries,
		CheckRetry:   o.checkRetry,
		Backoff:      o.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// traceLogger sends go-retryablehttp's per-try lines to trace and its retry notices to debug.
type traceLogger struct{ log hclog.Logger }

// Error logs a failed try at debug level: the caller reports the final error.
func (l traceLogger) Error(msg string, kv ...any) { l.log.Debug(msg, kv...) }

// Info logs at trace level.
func (l traceLogger) Info(msg string, kv ...any) { l.log.Trace(msg, kv...) }

// Warn logs at debug level.
func (l traceLogger) Warn(msg string, kv ...any) { l.log.Debug(msg, kv...) }

// Debug logs retry notices at debug level and per-try lines at trace level.
func (l traceLogger) Debug(msg string, kv ...any) {
	if msg == "retrying request" {
		l.log.Debug(msg, kv...)
		return
	}
	l.log.Trace(msg, kv...)
}
