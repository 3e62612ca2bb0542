package numbering

import "fmt"

// ParseError is a syntax error in a format string.
type ParseError struct {
	// Format is the whole format string.
	Format string
	// Offset is the byte offset in Format where the problem starts, and
	// Length how many bytes it spans (at least 1, except at the end of the
	// string).
	Offset, Length int
	// Message says what is wrong, in a sentence without position.
	Message string
}

// Error implements error.
func (e *ParseError) Error() string {
	return fmt.Sprintf("format %q, byte %d: %s", e.Format, e.Offset, e.Message)
}

func parseErr(format string, offset, length int, msg string, args ...any) *ParseError {
	if offset+length > len(format) {
		length = len(format) - offset
	}
	return &ParseError{Format: format, Offset: offset, Length: length, Message: fmt.Sprintf(msg, args...)}
}

// RangeError says that a sequence's numbers (smallest, largest or seed) do
// not suit its format.
type RangeError struct {
	// Field names the number at fault: "smallest", "largest" or "seed".
	Field string
	// Empty is true when the sequence cannot produce any value at all.
	Empty bool
	// Message says what is wrong.
	Message string
}

// Error implements error.
func (e *RangeError) Error() string { return e.Message }
