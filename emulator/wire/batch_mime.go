package wire

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"regexp"
	"sort"
	"strings"
)

// batchOp is one operation of a $batch: an HTTP request carried in an application/http part.
type batchOp struct {
	contentID string
	method    string
	target    string // request target as written (relative, absolute or $n)
	header    http.Header
	body      []byte
}

// batchItem is a top-level part: one operation, or a change set of several.
type batchItem struct {
	op        *batchOp
	changeSet []*batchOp
}

// parseBatch reads a multipart/mixed batch body (CRLF or bare LF, quoted or unquoted boundaries).
func parseBatch(contentType string, body io.Reader) ([]batchItem, error) {
	boundary, err := boundaryOf(contentType)
	if err != nil {
		return nil, err
	}
	mr := multipart.NewReader(body, boundary)
	var items []batchItem
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the batch: %w", err)
		}
		ct := p.Header.Get("Content-Type")
		if strings.HasPrefix(strings.ToLower(ct), "multipart/mixed") {
			ops, err := parseChangeSet(ct, p)
			if err != nil {
				return nil, err
			}
			items = append(items, batchItem{changeSet: ops})
			continue
		}
		op, err := parseOp(p)
		if err != nil {
			return nil, err
		}
		items = append(items, batchItem{op: op})
	}
}

func boundaryOf(contentType string) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.EqualFold(mt, "multipart/mixed") || params["boundary"] == "" {
		return "", fmt.Errorf("the Content-Type of a batch must be multipart/mixed with a boundary")
	}
	return params["boundary"], nil
}

func parseChangeSet(contentType string, body io.Reader) ([]*batchOp, error) {
	boundary, err := boundaryOf(contentType)
	if err != nil {
		return nil, err
	}
	mr := multipart.NewReader(body, boundary)
	var ops []*batchOp
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return ops, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading a change set: %w", err)
		}
		if strings.HasPrefix(strings.ToLower(p.Header.Get("Content-Type")), "multipart/") {
			return nil, fmt.Errorf("change sets cannot be nested")
		}
		op, err := parseOp(p)
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
}

// parseOp reads the HTTP request inside an application/http part: request line, headers, body.
func parseOp(p *multipart.Part) (*batchOp, error) {
	raw, err := io.ReadAll(p)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	line, err := br.ReadString('\n')
	for err == nil && strings.TrimSpace(line) == "" {
		line, err = br.ReadString('\n')
	}
	line = strings.TrimSpace(line)
	method, target, ok := strings.Cut(line, " ")
	if i := strings.LastIndex(target, " HTTP/"); i >= 0 {
		target = target[:i]
	}
	target = strings.ReplaceAll(strings.TrimSpace(target), " ", "%20")
	if !ok || target == "" {
		return nil, fmt.Errorf("a batch part does not start with an HTTP request line")
	}
	hdr, err := textproto.NewReader(br).ReadMIMEHeader()
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("reading the headers of a batch part: %w", err)
	}
	body, _ := io.ReadAll(br)
	body = bytes.TrimRight(body, "\r\n")
	return &batchOp{contentID: p.Header.Get("Content-ID"), method: strings.ToUpper(method), target: target,
		header: http.Header(hdr), body: body}, nil
}

// opResult is the recorded answer of one operation.
type opResult struct {
	contentID string
	status    int
	header    http.Header
	body      []byte
}

// recorder captures what a handler writes for one batch operation.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

// Header, Write and WriteHeader make recorder an http.ResponseWriter.
func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { r.ensure(); return r.body.Write(b) }
func (r *recorder) WriteHeader(code int)        { r.status = code }
func (r *recorder) ensure() {
	if r.status == 0 {
		r.status = http.StatusOK
	}
}
func (r *recorder) result(contentID string) opResult {
	r.ensure()
	return opResult{contentID: contentID, status: r.status, header: r.header, body: r.body.Bytes()}
}

// writeResponsePart writes one application/http response part.
func writeResponsePart(w io.Writer, boundary string, res opResult) {
	fmt.Fprintf(w, "--%s\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n", boundary)
	if res.contentID != "" {
		fmt.Fprintf(w, "Content-ID: %s\r\n", res.contentID)
	}
	fmt.Fprintf(w, "\r\nHTTP/1.1 %d %s\r\n", res.status, http.StatusText(res.status))
	names := make([]string, 0, len(res.header))
	for k := range res.header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range res.header[k] {
			fmt.Fprintf(w, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(w, "\r\n")
	if len(res.body) > 0 {
		w.Write(res.body)
	}
	fmt.Fprintf(w, "\r\n")
}

var contentRefRE = regexp.MustCompile(`"\$(\d+)"`)
