package wire

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
)

// Batch limits: Dataverse allows 1000 operations [D]; F&O's article mentions 5,000 [D].
const (
	dataverseBatchLimit = 1000
	finOpsBatchLimit    = 5000
)

// MaxBody is the largest request body the services read.
const MaxBody = 64 << 20

type inBatchKey struct{}

// InBatch reports whether ctx is the context of an operation inside a $batch.
func InBatch(ctx context.Context) bool {
	_, ok := ctx.Value(inBatchKey{}).(bool)
	return ok
}

var errRollback = errors.New("change set rolled back")

// batchRun executes one $batch request.
type batchRun struct {
	st       *store.Store
	route    http.Handler // serves one operation
	r        *http.Request
	svc      store.Service
	prefix   string // /api/data/v9.2/ or /data/
	cont     bool
	out      bytes.Buffer
	boundary string
	failed   bool
}

// serveBatch serves POST $batch for svc: operations in order, change sets atomic (one store
// transaction each), Content-ID references, stop at the first failure unless
// Prefer: odata.continue-on-error [D]. Dataverse answers 400 when it stopped at a failure [D];
// F&O answers 200 with the failure inside [O].
func ServeBatch(w http.ResponseWriter, r *http.Request, svc store.Service, st *store.Store, route http.Handler) {
	if r.Method != http.MethodPost {
		WriteError(w, svc, NewError(http.StatusMethodNotAllowed, "", "$batch accepts only POST."))
		return
	}
	items, err := parseBatch(r.Header.Get("Content-Type"), http.MaxBytesReader(nil, r.Body, MaxBody))
	if err != nil {
		WriteError(w, svc, NewError(http.StatusBadRequest, CodeBadRequest, "%v", err))
		return
	}
	if n, limit := countOps(items), batchLimit(svc); n > limit {
		WriteError(w, svc, NewError(http.StatusBadRequest, "0x8005f103", "The number of requests in a batch exceeds the limit of %d.", limit))
		return
	}
	_, cont := Preferences(r.Header.Values("Prefer"))["odata.continue-on-error"]
	b := &batchRun{st: st, route: route, r: r, svc: svc, cont: cont, boundary: "batchresponse_" + NewGUID(), prefix: "/data/"}
	if svc == store.Dataverse {
		b.prefix = "/api/data/v9.2/"
	}
	for _, it := range items {
		if b.failed && !b.cont {
			break
		}
		if it.op != nil {
			b.single(it.op)
		} else {
			b.changeSet(it.changeSet)
		}
	}
	fmt.Fprintf(&b.out, "--%s--\r\n", b.boundary)
	status := http.StatusOK
	if b.failed && !b.cont && svc == store.Dataverse {
		status = http.StatusBadRequest
	}
	if cont {
		w.Header().Set("Preference-Applied", "odata.continue-on-error")
	}
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+b.boundary)
	w.Header().Set("OData-Version", "4.0")
	w.WriteHeader(status)
	_, _ = w.Write(b.out.Bytes())
}

func batchLimit(svc store.Service) int {
	if svc == store.FinOps {
		return finOpsBatchLimit
	}
	return dataverseBatchLimit
}

func countOps(items []batchItem) int {
	n := 0
	for _, it := range items {
		n += max(1, len(it.changeSet))
	}
	return n
}

func (b *batchRun) single(op *batchOp) {
	res := b.exec(b.r.Context(), op, nil)
	if res.status >= 400 {
		b.failed = true
	}
	writeResponsePart(&b.out, b.boundary, res)
}

// changeSet runs ops in one transaction; on the first failure everything is rolled back and the
// change set answers with that failure alone.
func (b *batchRun) changeSet(ops []*batchOp) {
	var results []opResult
	var failure *opResult
	refs := map[string]string{}
	err := b.st.Update(b.r.Context(), func(ctx context.Context) error {
		for _, op := range ops {
			res := b.exec(ctx, op, refs)
			if res.status >= 400 {
				failure = &res
				return errRollback
			}
			if op.contentID != "" {
				refs[op.contentID] = cmp.Or(res.header.Get("OData-EntityId"), res.header.Get("Location"))
			}
			results = append(results, res)
		}
		return nil
	})
	if failure == nil && err != nil {
		failure = &opResult{status: http.StatusInternalServerError, header: http.Header{}, body: []byte(`{"error":{"code":"","message":"the change set could not be committed"}}`)}
	}
	if failure != nil {
		b.failed = true
		writeResponsePart(&b.out, b.boundary, *failure)
		return
	}
	inner := "changesetresponse_" + NewGUID()
	fmt.Fprintf(&b.out, "--%s\r\nContent-Type: multipart/mixed; boundary=%s\r\n\r\n", b.boundary, inner)
	for _, res := range results {
		writeResponsePart(&b.out, inner, res)
	}
	fmt.Fprintf(&b.out, "--%s--\r\n", inner)
}

// exec runs one operation through the service's router; refs (nil outside change sets) resolves $n.
func (b *batchRun) exec(ctx context.Context, op *batchOp, refs map[string]string) opResult {
	rec := newRecorder()
	fail := func(a *Error) opResult {
		WriteError(rec, b.svc, a)
		return rec.result(op.contentID)
	}
	if refs != nil && op.method == http.MethodGet {
		return fail(NewError(http.StatusBadRequest, CodeBadRequest, "GET requests are not allowed inside a change set."))
	}
	target, body, aerr := b.substitute(op, refs)
	if aerr != nil {
		return fail(aerr)
	}
	path, err := b.resolveTarget(target)
	if err != nil {
		return fail(NewError(http.StatusBadRequest, CodeBadRequest, "%v", err))
	}
	req, err := http.NewRequestWithContext(context.WithValue(ctx, inBatchKey{}, true), op.method, path, bytes.NewReader(body))
	if err != nil {
		return fail(NewError(http.StatusBadRequest, CodeBadRequest, "bad request in batch: %v", err))
	}
	req.Header = op.header.Clone()
	req.Header.Set("Authorization", b.r.Header.Get("Authorization"))
	req.Body = io.NopCloser(bytes.NewReader(body))
	rec.Header().Set("OData-Version", "4.0")
	b.route.ServeHTTP(rec, req)
	return rec.result(op.contentID)
}

// substitute replaces $n references in the target and in body strings ("x@odata.bind": "$1").
func (b *batchRun) substitute(op *batchOp, refs map[string]string) (string, []byte, *Error) {
	target, body := op.target, op.body
	if strings.HasPrefix(target, "$") {
		id, rest, _ := strings.Cut(target[1:], "/")
		u, ok := refs[id]
		if !ok {
			return "", nil, NewError(http.StatusBadRequest, CodeBadRequest, "Content-ID Reference: '$%s' does not exist in the batch context.", id)
		}
		target = u
		if rest != "" {
			target += "/" + rest
		}
	}
	var missing string
	if bytes.Contains(body, []byte(`"$`)) {
		body = contentRefRE.ReplaceAllFunc(body, func(m []byte) []byte {
			id := string(m[2 : len(m)-1])
			u, ok := refs[id]
			if !ok {
				missing = id
				return m
			}
			return []byte(`"` + u + `"`)
		})
	}
	if refs != nil && missing != "" {
		return "", nil, NewError(http.StatusBadRequest, CodeBadRequest, "Content-ID Reference: '$%s' does not exist in the batch context.", missing)
	}
	return target, body, nil
}

// resolveTarget turns a relative or absolute request target into a path and query on this service.
func (b *batchRun) resolveTarget(target string) (string, error) {
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		u, err := url.Parse(target)
		if err != nil {
			return "", err
		}
		return "https://emulator" + u.RequestURI(), nil
	}
	if !strings.HasPrefix(target, "/") {
		target = b.prefix + target
	}
	return "https://emulator" + target, nil
}
