package odata

// Outcome is what became of one operation of a batch.
type Outcome struct {
	// Result is the operation's own answer; for a rolled-back operation, the answer of the operation
	// that made its change set fail.
	Result *Result
	// RolledBack is true when the operation's change set failed because of another operation, or as a
	// whole without saying which operation failed.
	RolledBack bool
	// NotRun is true when the batch stopped before the operation.
	NotRun bool
}

// Match pairs every operation of groups with its answer. Groups and answers correspond by position;
// inside a change set results are matched by Content-ID, then by position.
func Match(groups []Group, answers []ResultGroup) [][]Outcome {
	out := make([][]Outcome, len(groups))
	for i, g := range groups {
		out[i] = make([]Outcome, len(g.Ops))
		if i >= len(answers) || len(answers[i].Results) == 0 {
			for j := range out[i] {
				out[i][j].NotRun = true
			}
			continue
		}
		a := answers[i]
		if !g.ChangeSet {
			out[i][0].Result = &a.Results[0]
			continue
		}
		matchChangeSet(g, a, out[i])
	}
	return out
}

func matchChangeSet(g Group, a ResultGroup, out []Outcome) {
	byID := map[string]*Result{}
	var failed *Result
	for k := range a.Results {
		r := &a.Results[k]
		if r.ContentID != "" {
			byID[r.ContentID] = r
		}
		if r.Status >= 400 && failed == nil {
			failed = r
		}
	}
	for j, op := range g.Ops {
		r := byID[op.ContentID]
		if r == nil && len(byID) == 0 && j < len(a.Results) && failed == nil {
			r = &a.Results[j]
		}
		switch {
		case failed == nil && r != nil:
			out[j].Result = r
		case failed == nil:
			out[j].NotRun = true
		case r != nil && r.Status >= 400:
			out[j].Result = r
		default:
			out[j].Result, out[j].RolledBack = failed, true
		}
	}
	if failed != nil && failed.ContentID == "" && len(a.Results) == 1 {
		// The set was answered by one error that does not say which operation failed.
		for j := range out {
			out[j].RolledBack = true
		}
	}
}
