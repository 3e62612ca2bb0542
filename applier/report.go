package applier

import (
	"fmt"
	"strings"
	"time"

	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/state"
)

// Outcome is how an action of an apply ended.
type Outcome string

// The outcomes.
const (
	OK         Outcome = "ok"
	Failed     Outcome = "failed"
	Canceled   Outcome = "canceled"    // stopped by an interrupt; resumes on the next apply
	NotStarted Outcome = "not_started" // a dependency failed, or the apply was interrupted first
)

// Result is the outcome of one action.
type Result struct {
	ID      string
	Address string
	Kind    string // the kind's snake_case name
	Outcome Outcome
	// Err is why the action failed, or for NotStarted the failed action
	// that kept it from starting (nil when an interrupt did).
	Err      error
	Rows     int64
	Duration time.Duration
}

// Report is the outcome of an apply, one Result per action in plan order.
type Report struct {
	Results []Result
	// State is the state as last stored.
	State *state.State
	// Err is an error after the actions (recording the final state).
	Err error
	// actions are the plan's actions, Results' in the same order.
	actions []*planner.Action
}

// Summary counts the outcomes of a report.
type Summary struct {
	OK         int `json:"ok"`
	Failed     int `json:"failed"`
	Canceled   int `json:"canceled"`
	NotStarted int `json:"not_started"`
	// Added, Changed and Destroyed count the objects whose actions all
	// finished, in the plan summary's terms; DataOperations the data
	// operations that finished and Rows the rows they wrote.
	Added          int   `json:"added"`
	Changed        int   `json:"changed"`
	Destroyed      int   `json:"destroyed"`
	DataOperations int   `json:"data_operations"`
	Rows           int64 `json:"rows"`
}

func (r *Report) summary() *Summary {
	var s Summary
	done := &planner.Plan{}
	failed := map[string]bool{}
	for _, res := range r.Results {
		if res.Outcome != OK {
			failed[res.Address] = true
		}
	}
	for i, res := range r.Results {
		if res.Outcome == OK && r.actions != nil && !failed[res.Address] {
			done.Actions = append(done.Actions, r.actions[i])
		}
		if res.Outcome == OK && r.actions != nil && r.actions[i].Kind.IsData() {
			s.Rows += res.Rows
		}
		switch res.Outcome {
		case OK:
			s.OK++
		case Failed:
			s.Failed++
		case Canceled:
			s.Canceled++
		default:
			s.NotStarted++
		}
	}
	ps := done.Summarize()
	s.Added, s.Changed, s.Destroyed, s.DataOperations = ps.Add, ps.Change, ps.Destroy, ps.DataOperations
	return &s
}

// Summary returns the counts of the outcomes.
func (r *Report) Summary() Summary { return *r.summary() }

// complete reports whether every action finished successfully.
func (r *Report) complete() bool {
	s := r.summary()
	return s.Failed == 0 && s.Canceled == 0 && s.NotStarted == 0
}

// ApplyError is the error of an apply that did not finish every action.
type ApplyError struct {
	Summary Summary
	// Failures are the failed actions' IDs with their errors.
	Failures []string
}

func (e *ApplyError) Error() string {
	s := e.Summary
	msg := fmt.Sprintf("apply did not finish: %d done, %d failed, %d interrupted, %d not started",
		s.OK, s.Failed, s.Canceled, s.NotStarted)
	if len(e.Failures) > 0 {
		msg += "\n  " + strings.Join(e.Failures, "\n  ")
	}
	if s.Failed == 0 {
		msg += "\nRun apply again to resume."
	} else {
		msg += "\nFix the cause and run apply again; what finished is recorded in state."
	}
	return msg
}

// err returns nil when everything finished, otherwise an *ApplyError (or
// the error recording the final state).
func (r *Report) err() error {
	if !r.complete() {
		e := &ApplyError{Summary: *r.summary()}
		for _, res := range r.Results {
			if res.Outcome == Failed {
				e.Failures = append(e.Failures, res.ID+": "+errText(res.Err))
			}
		}
		return e
	}
	return r.Err
}
