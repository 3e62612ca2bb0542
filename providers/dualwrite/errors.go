package dualwrite

import (
	"errors"
	"fmt"
)

// ChangedError reports an answer of the gateway that does not have the shape dwctl knows: a required
// field is missing, or a state or code has a value dwctl does not know. It means the (unsupported)
// gateway changed; dwctl stops rather than guess.
type ChangedError struct {
	// Call is the request, e.g. "GET Entities".
	Call string
	// Field is the path of the field in the answer, e.g. "[3].detail.state".
	Field string
	// Problem says what is wrong with it: "is missing", `has the unknown value "9"`, ...
	Problem string
}

// Error returns a sentence naming the call and the field.
func (e *ChangedError) Error() string {
	return fmt.Sprintf("dual-write gateway: %s: field %s %s; the gateway changed its answers "+
		"(it is not supported by Microsoft), so dwctl stops instead of guessing", e.Call, e.Field, e.Problem)
}

// IsChanged reports whether err is, or wraps, a *ChangedError.
func IsChanged(err error) bool {
	var c *ChangedError
	return errors.As(err, &c)
}

// RequestError is an asynchronous request that ended in the Error state.
type RequestError struct {
	// Step is the action: "start", "stop", "pause", "resume", "initialize".
	Step string
	// Maps are the display names of the maps of the request.
	Maps []string
	// ID is the request id and Message the service's error message.
	ID      string
	Message string
}

// Error names the step, the maps and the service's message.
func (e *RequestError) Error() string {
	return fmt.Sprintf("dual-write: %s %s: request %s failed: %s", e.Step, quoteList(e.Maps), e.ID, e.Message)
}

func quoteList(names []string) string {
	switch len(names) {
	case 0:
		return "(no map)"
	case 1:
		return fmt.Sprintf("%q", names[0])
	}
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", n)
	}
	return "maps " + s
}
