package providers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Error is a failure answered by a service (or a request that never got an answer), naming where it
// happened so that a message alone tells an operator what to look at. It never holds a credential.
type Error struct {
	// Environment is the display name of the environment.
	Environment string
	// Operation is what the client was doing: "list", "get", "create", "upsert", "batch", ...
	Operation string
	// Table is the entity set, collection or logical name involved, if any.
	Table string
	// Key is the key of the row involved, printed as in a URL, if any.
	Key string
	// Status is the HTTP status, 0 when no answer was received.
	Status int
	// Code is the service's error code (a Dataverse hex code such as 0x80060892; often empty on F&O).
	Code string
	// Message is the service's message.
	Message string
	// Detail is the F&O innererror message (the X++ Infolog text) and type, when present.
	Detail string
	// RetryAfter is the wait a 429 asked for.
	RetryAfter time.Duration
	// Err is the underlying transport error, if any.
	Err error
}

// Error returns "ENV: OPERATION TABLE(KEY): STATUS CODE: MESSAGE (DETAIL)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Environment)
	b.WriteString(": ")
	b.WriteString(e.Operation)
	if e.Table != "" {
		b.WriteString(" " + e.Table)
	}
	if e.Key != "" {
		b.WriteString(e.Key)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, ": %d %s", e.Status, http.StatusText(e.Status))
	}
	if e.Code != "" {
		b.WriteString(" [" + e.Code + "]")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Detail != "" {
		b.WriteString(" (" + e.Detail + ")")
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the transport error.
func (e *Error) Unwrap() error { return e.Err }

// Dataverse error codes that callers branch on.
const (
	CodeObjectDoesNotExist         = "0x80040217"
	CodeDuplicateRecord            = "0x80040237"
	CodeDuplicateRecordEntityKey   = "0x80060892"
	CodeConcurrencyVersionMismatch = "0x80060882"
)

func status(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// IsNotFound reports whether err says the row, table or key does not exist (404).
func IsNotFound(err error) bool { return status(err) == http.StatusNotFound }

// IsPreconditionFailed reports whether err is a 412: an ETag that no longer matches, a create-only
// write whose row exists, or a duplicate alternate key on Dataverse.
func IsPreconditionFailed(err error) bool { return status(err) == http.StatusPreconditionFailed }

// IsThrottled reports whether err is a 429 that outlasted the client's retries.
func IsThrottled(err error) bool { return status(err) == http.StatusTooManyRequests }

// IsUnauthorized reports whether err is a 401: no token, an expired one, or one for another resource.
func IsUnauthorized(err error) bool { return status(err) == http.StatusUnauthorized }

// IsDuplicateKey reports whether err says a row with the same key already exists: Dataverse
// DuplicateRecordEntityKey/DuplicateRecord, or an F&O write failure whose Infolog says so.
func IsDuplicateKey(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case CodeDuplicateRecordEntityKey, CodeDuplicateRecord:
		return true
	}
	text := strings.ToLower(e.Message + " " + e.Detail)
	return strings.Contains(text, "already exists")
}
