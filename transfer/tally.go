package transfer

import (
	"strings"
	"sync"
)

// The outcomes a Tally counts, per company. The creates and updates are
// the rows written; a row on both sides counts once, in phase A.
const (
	DataverseCreate = "dataverse_create"
	DataverseUpdate = "dataverse_update"
	FinOpsCreate    = "finops_create"
	FinOpsUpdate    = "finops_update"
	Unchanged       = "unchanged"
	// Filtered counts the rows of a side its filter leaves out (a preview
	// counts them; they are not errors).
	Filtered = "filtered"
	// Errors counts the rows that would fail.
	Errors = "errors"
)

// Written lists the outcomes that write a row.
var Written = []string{DataverseCreate, DataverseUpdate, FinOpsCreate, FinOpsUpdate}

// maxErrors is how many failing rows a Tally names.
const maxErrors = 5

// Tally counts a run's rows by company and outcome, names the first rows
// that fail and keeps the first row differences of a preview.
type Tally struct {
	mu     sync.Mutex
	counts map[string]int64 // "COMPANY/outcome"
	// Errors are the first rows that fail, with the reason.
	Errors []RowError
	// Rows are the first row differences (Options.Examples of them).
	Rows []RowChange
}

// NewTally returns an empty tally.
func NewTally() *Tally { return &Tally{counts: map[string]int64{}} }

// RowError is a row that would fail.
type RowError struct {
	Company string
	// Side is where the row would be written: "finops" or "dataverse".
	Side string
	// Key is the row's integration key, its parts joined by ", ".
	Key    string
	Reason string
}

func (e RowError) String() string {
	return "[" + e.Company + "] " + e.Key + " to " + sideName(e.Side) + ": " + e.Reason
}

// RowChange is one row a run writes: a create or the changed columns of
// an update.
type RowChange struct {
	Company string
	Side    string // written to: "finops" or "dataverse"
	Kind    string // "create" or "update"
	Key     string
	Fields  []FieldChange
}

// FieldChange is one column of a RowChange; Before is "" for a create.
type FieldChange struct {
	Name   string
	Before string
	After  string
}

func sideName(s string) string {
	if s == "finops" {
		return "F&O"
	}
	return "Dataverse"
}

func (t *Tally) add(company, outcome string, n int64) {
	t.mu.Lock()
	t.counts[company+"/"+outcome] += n
	t.mu.Unlock()
}

func (t *Tally) fail(e RowError) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.counts[e.Company+"/"+Errors]++
	if len(t.Errors) < maxErrors {
		t.Errors = append(t.Errors, e)
	}
}

func (t *Tally) example(max int, r RowChange) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.Rows) < max {
		t.Rows = append(t.Rows, r)
	}
}

// Counts returns the flat counts ("COMPANY/outcome"), as checkpoints keep
// them.
func (t *Tally) Counts() map[string]int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]int64, len(t.counts))
	for k, n := range t.counts {
		out[k] = n
	}
	return out
}

// Total returns an outcome's count over all companies.
func (t *Tally) Total(outcome string) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := int64(0)
	for k, v := range t.counts {
		if strings.HasSuffix(k, "/"+outcome) {
			n += v
		}
	}
	return n
}

// Written returns the rows written (creates and updates on both sides).
func (t *Tally) Written() int64 {
	n := int64(0)
	for _, o := range Written {
		n += t.Total(o)
	}
	return n
}

// ByCompany returns the counts by company and outcome.
func (t *Tally) ByCompany() map[string]map[string]int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]map[string]int64{}
	for k, n := range t.counts {
		company, outcome, ok := strings.Cut(k, "/")
		if !ok || n == 0 {
			continue
		}
		if out[company] == nil {
			out[company] = map[string]int64{}
		}
		out[company][outcome] += n
	}
	return out
}
