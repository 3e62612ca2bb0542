package odata

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"sort"
	"strings"
)

// MaxBatchParts bounds how many parts DecodeBatch accepts, so a hostile answer cannot exhaust memory.
const MaxBatchParts = 100000

// Operation is one request inside a $batch.
type Operation struct {
	Method string
	// URL is absolute, or an absolute path on the service host.
	URL    string
	Header http.Header
	Body   []byte
	// ContentID names the operation inside a change set ("1", "2", ...); set by EncodeBatch when empty.
	ContentID string
}

// Group is a change set (all its operations commit together or not at all) or a single operation
// outside any change set.
type Group struct {
	ChangeSet bool
	Ops       []Operation
}

// Result is the answer to one operation.
type Result struct {
	ContentID string
	Status    int
	Header    http.Header
	Body      []byte
}

// ResultGroup is the answer to one Group: the results of a change set, or a single result. A change set
// that failed as a whole may be answered by one result without a Content-ID.
type ResultGroup struct {
	ChangeSet bool
	Results   []Result
}

// EncodeBatch writes groups as a multipart/mixed $batch body with CRLF line ends and returns its
// Content-Type. Operations in change sets that carry no Content-ID are given one (1, 2, ... across the
// batch) in groups itself, so that Match can pair the answers with them.
func EncodeBatch(groups []Group) (contentType string, body []byte) {
	var b bytes.Buffer
	outer := "batch_" + newBoundary()
	id := 0
	for _, g := range groups {
		b.WriteString("--" + outer + "\r\n")
		if !g.ChangeSet {
			for _, op := range g.Ops {
				writeOperation(&b, op)
			}
			continue
		}
		inner := "changeset_" + newBoundary()
		b.WriteString("Content-Type: multipart/mixed; boundary=" + inner + "\r\n\r\n")
		for k := range g.Ops {
			id++
			if g.Ops[k].ContentID == "" {
				g.Ops[k].ContentID = fmt.Sprint(id)
			}
			b.WriteString("--" + inner + "\r\n")
			writeOperation(&b, g.Ops[k])
		}
		b.WriteString("--" + inner + "--\r\n")
	}
	b.WriteString("--" + outer + "--\r\n")
	return "multipart/mixed; boundary=" + outer, b.Bytes()
}

func writeOperation(b *bytes.Buffer, op Operation) {
	b.WriteString("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n")
	if op.ContentID != "" {
		b.WriteString("Content-ID: " + op.ContentID + "\r\n")
	}
	b.WriteString("\r\n" + op.Method + " " + op.URL + " HTTP/1.1\r\n")
	keys := make([]string, 0, len(op.Header))
	for k := range op.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range op.Header[k] {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	b.Write(op.Body)
	b.WriteString("\r\n")
}

// newBoundary returns a random boundary id; tests replace it for stable output.
var newBoundary = boundaryID

func boundaryID() string {
	var r [12]byte
	_, _ = rand.Read(r[:])
	return hex.EncodeToString(r[:])
}

// DecodeBatch reads a multipart/mixed $batch response into groups, in order.
func DecodeBatch(contentType string, body []byte) ([]ResultGroup, error) {
	boundary, err := multipartBoundary(contentType)
	if err != nil {
		return nil, err
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var groups []ResultGroup
	parts := 0
	for {
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return groups, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading batch response: %w", err)
		}
		if parts++; parts > MaxBatchParts {
			return nil, errors.New("reading batch response: too many parts")
		}
		g, err := decodeGroup(part)
		if err != nil {
			return nil, err
		}
		groups = append(groups, g)
	}
}

func decodeGroup(part *multipart.Part) (ResultGroup, error) {
	ct := part.Header.Get("Content-Type")
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "multipart/") {
		r, err := decodeResult(part.Header, part)
		return ResultGroup{Results: []Result{r}}, err
	}
	boundary, err := multipartBoundary(ct)
	if err != nil {
		return ResultGroup{}, err
	}
	g := ResultGroup{ChangeSet: true}
	mr := multipart.NewReader(part, boundary)
	for {
		inner, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return g, nil
		}
		if err != nil {
			return g, fmt.Errorf("reading change set response: %w", err)
		}
		if len(g.Results) >= MaxBatchParts {
			return g, errors.New("reading change set response: too many parts")
		}
		r, err := decodeResult(inner.Header, inner)
		if err != nil {
			return g, err
		}
		g.Results = append(g.Results, r)
	}
}

// decodeResult reads an application/http part: a status line, headers, a body.
func decodeResult(h textproto.MIMEHeader, body io.Reader) (Result, error) {
	r := Result{ContentID: strings.TrimSpace(h.Get("Content-ID"))}
	resp, err := http.ReadResponse(bufio.NewReader(body), nil)
	if err != nil {
		return r, fmt.Errorf("reading batch part: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return r, fmt.Errorf("reading batch part body: %w", err)
	}
	r.Status, r.Header, r.Body = resp.StatusCode, resp.Header, bytes.TrimSpace(data)
	if r.ContentID == "" {
		r.ContentID = strings.TrimSpace(resp.Header.Get("Content-ID"))
	}
	return r, nil
}

func multipartBoundary(contentType string) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", fmt.Errorf("batch response content type %q: %w", contentType, err)
	}
	if !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return "", fmt.Errorf("batch response content type %q is not multipart with a boundary", contentType)
	}
	return params["boundary"], nil
}
