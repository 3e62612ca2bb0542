package wire

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
)

func Sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// Error is an error answer of a service: HTTP status, the service's error code and message. For
// F&O write failures innerType carries the .NET exception type of innererror.
type Error struct {
	Status     int
	Code       string
	Message    string
	InnerType  string
	RetryAfter int
}

// Error renders the status, code and message.
func (e *Error) Error() string { return Sprintf("%d %s %s", e.Status, e.Code, e.Message) }

func NewError(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: Sprintf(format, args...)}
}

// Dataverse error codes [D]/[O] (protocols.md §2.11).
const (
	CodeObjectDoesNotExist  = "0x80040217"
	CodeInvalidArgument     = "0x80040203"
	CodeDuplicateKey        = "0x80060892"
	CodeVersionMismatch     = "0x80060882"
	CodeValidation          = "0x80044331"
	CodeInvalidProperty     = "0x80060888"
	CodeBadRequest          = "0x8006088a"
	CodeNotSupported        = "0x80040800"
	CodeUnauthorized        = "0x80072560"
	CodeKeyNotValid         = "0x80060891"
	CodeAxWriteExceptionTyp = "Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException"
)

// FinOpsWriteError is the F&O answer for a business or validation failure of a write: 500 with
// AxODataWriteException and Infolog-style text [O].
func FinOpsWriteError(format string, args ...any) *Error {
	return &Error{Status: http.StatusInternalServerError, Message: Sprintf(format, args...), InnerType: CodeAxWriteExceptionTyp}
}

const jsonContentType = "application/json; odata.metadata=minimal"

// WriteJSON writes v as the JSON body of an OData answer.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	body := []byte(`{"error":{"code":"","message":"encoding the answer failed"}}`)
	if err := JSONEncoder(&buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
	} else {
		body = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	}
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("OData-Version", "4.0")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// WriteError writes e in the error shape of svc.
func WriteError(w http.ResponseWriter, svc store.Service, e *Error) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	if svc == store.FinOps && e.InnerType != "" {
		WriteJSON(w, e.Status, map[string]any{"error": map[string]any{
			"code": "", "message": "An error has occurred.",
			"innererror": map[string]string{"message": e.Message, "type": e.InnerType, "stacktrace": ""},
		}})
		return
	}
	code := e.Code
	if svc == store.FinOps {
		code = "" // F&O leaves the code empty [O]
	}
	WriteJSON(w, e.Status, map[string]any{"error": map[string]string{"code": code, "message": e.Message}})
}

// KeyPart is one part of a key predicate: name=value, or a bare value (Name empty).
type KeyPart struct {
	Name   string
	Value  any // string, float64, bool, nil
	Quoted bool
}

// SplitPath splits an OData resource path into segments at '/' outside quotes and parentheses.
func SplitPath(p string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '/' && depth == 0:
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	out = append(out, p[start:])
	return out
}

// SplitSegment splits "name(predicate)" into name and predicate; hasKey reports the parentheses.
func SplitSegment(seg string) (name, pred string, hasKey bool, err error) {
	i := strings.IndexByte(seg, '(')
	if i < 0 {
		return seg, "", false, nil
	}
	if !strings.HasSuffix(seg, ")") {
		return "", "", false, fmt.Errorf("bad key segment %q", seg)
	}
	return seg[:i], seg[i+1 : len(seg)-1], true, nil
}

// ParseKeyPredicate parses the inside of a key predicate: a single value or name=value pairs.
func ParseKeyPredicate(s string) ([]KeyPart, error) {
	var parts []KeyPart
	for len(s) > 0 {
		var p KeyPart
		if eq := nameEnd(s); eq > 0 && eq < len(s) && s[eq] == '=' {
			p.Name, s = strings.TrimSpace(s[:eq]), s[eq+1:]
		}
		val, rest, err := scanKeyValue(strings.TrimSpace(s))
		if err != nil {
			return nil, err
		}
		p.Value, p.Quoted = val.v, val.quoted
		parts = append(parts, p)
		s = strings.TrimSpace(rest)
		if s == "" {
			break
		}
		if s[0] != ',' {
			return nil, fmt.Errorf("expected ',' in key at %q", s)
		}
		s = strings.TrimSpace(s[1:])
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("empty key")
	}
	if len(parts) > 1 {
		for _, p := range parts {
			if p.Name == "" {
				return nil, fmt.Errorf("a key of several parts must name every part")
			}
		}
	}
	return parts, nil
}

func nameEnd(s string) int {
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] == '.' || IsAlnum(s[i])) {
		i++
	}
	return i
}

func IsAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

type scannedValue struct {
	v      any
	quoted bool
}

// scanKeyValue reads one literal: 'string' (with ” escapes), an enum Type'Member', or a bare token.
func scanKeyValue(s string) (scannedValue, string, error) {
	if s == "" {
		return scannedValue{}, "", fmt.Errorf("missing key value")
	}
	start := 0
	if q := strings.IndexByte(s, '\''); q > 0 && nameEnd(s) == q {
		start = q // enum literal Namespace.Type'Member'
	}
	if s[start] == '\'' {
		var b strings.Builder
		for i := start + 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				return scannedValue{v: b.String(), quoted: true}, s[i+1:], nil
			}
			b.WriteByte(s[i])
		}
		return scannedValue{}, "", fmt.Errorf("unterminated string in key")
	}
	end := strings.IndexByte(s, ',')
	if end < 0 {
		end = len(s)
	}
	tok := strings.TrimSpace(s[:end])
	switch tok {
	case "null":
		return scannedValue{v: nil}, s[end:], nil
	case "true", "false":
		return scannedValue{v: tok == "true"}, s[end:], nil
	}
	if IsGUID(tok) {
		return scannedValue{v: strings.ToLower(tok)}, s[end:], nil
	}
	f, err := strconv.ParseFloat(tok, 64)
	if err != nil {
		return scannedValue{}, "", fmt.Errorf("bad key value %q", tok)
	}
	return scannedValue{v: f}, s[end:], nil
}

// IsGUID reports whether s is a GUID in the 8-4-4-4-12 form.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			c := s[i]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// ETag renders a row version as the service's weak ETag: Dataverse W/"version"; F&O an opaque
// base64 of an internal version tuple (W/"JzAs…").
func ETag(svc store.Service, version int64) string {
	if svc == store.FinOps {
		return `W/"` + B64("'0,"+strconv.FormatInt(version, 10)+"'") + `"`
	}
	return `W/"` + strconv.FormatInt(version, 10) + `"`
}

// ETagMatches compares an If-Match/If-None-Match header value with an ETag ("*" matches any).
func ETagMatches(header, etag string) bool {
	for _, h := range strings.Split(header, ",") {
		h = strings.TrimSpace(h)
		if h == "*" || h == etag || strings.TrimPrefix(h, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

func B64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func JSONEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// WritePlainJSON writes JSON without the OData headers, for the endpoints that are not OData services
// (the token authority, the control plane).
func WritePlainJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = JSONEncoder(w).Encode(v)
}

// StoreError is the answer for a failure of the store: 500 with the services' generic code.
func StoreError(err error) *Error {
	return NewError(http.StatusInternalServerError, "0x80040216", "An unexpected error occurred: %v", err)
}

// StoreErrorOrNil is StoreError for a non-nil err, and nil otherwise.
func StoreErrorOrNil(err error) *Error {
	if err == nil {
		return nil
	}
	return StoreError(err)
}
