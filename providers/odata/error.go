package odata

import (
	"encoding/json"
	"strings"
)

// ServiceError is an OData error body: {"error":{"code","message","innererror":{"message","type"}}}.
type ServiceError struct {
	Code    string
	Message string
	// InnerMessage and InnerType come from innererror (F&O's AxODataWriteException carries the X++
	// Infolog text there).
	InnerMessage string
	InnerType    string
}

// Detail joins the inner message and the short name of the inner type, or "" when there is none.
func (e ServiceError) Detail() string {
	t := e.InnerType
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		t = t[i+1:]
	}
	switch {
	case e.InnerMessage != "" && t != "":
		return t + ": " + e.InnerMessage
	case e.InnerMessage != "":
		return e.InnerMessage
	}
	return t
}

// ParseError reads an error body. ok is false when body is not one; the caller then reports the status
// with a short excerpt of the body.
func ParseError(body []byte) (e ServiceError, ok bool) {
	var doc struct {
		Error *struct {
			Code       json.RawMessage `json:"code"`
			Message    string          `json:"message"`
			InnerError *struct {
				Message string `json:"message"`
				Type    string `json:"type"`
			} `json:"innererror"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &doc) != nil || doc.Error == nil {
		return e, false
	}
	e.Code = rawString(doc.Error.Code)
	e.Message = doc.Error.Message
	if ie := doc.Error.InnerError; ie != nil {
		e.InnerMessage, e.InnerType = ie.Message, ie.Type
	}
	return e, true
}

// rawString accepts a code written as a string or as a number.
func rawString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// Excerpt returns at most the first 200 bytes of a non-OData error body, on one line.
func Excerpt(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	return truncate(s, 200)
}
