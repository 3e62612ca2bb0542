package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/config"
)

// The sizes of data operations: initial syncs (a service sync's exported
// rows, a dwctl-mode copy's exact preview) and bootstraps, from the
// snapshot's previews, with the rows predicted to fail.

// serviceLimits notes and warns where a service initial sync would pass
// the documented limits [D]: 500,000 rows per company and run, and no
// sync from Dataverse for maps with 10 or more lookups.
func (b *builder) serviceLimits(a *Action, cm *config.TableMap, master string) {
	lookups := 0
	for _, f := range cm.Fields {
		if strings.Contains(f.Dataverse, ".") {
			lookups++
		}
	}
	if master == "dataverse" && lookups >= 10 {
		msg := fmt.Sprintf("The service runs no initial sync from Dataverse for a map with 10 or more lookups (this one has %d); use mode = \"dwctl\".", lookups)
		a.Notes = append(a.Notes, msg)
		b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Initial sync over the service's limits",
			Detail: cm.Address + ": " + msg, Subject: cm.InitialSync.DeclRange.Ptr()})
	}
	if n := a.Counts["finops"]; n > InitialSyncRowLimit {
		a.Notes = append(a.Notes, fmt.Sprintf("F&O holds %s rows; the service syncs at most %s rows per company and run. If one company holds more, use mode = \"dwctl\" (validate -live counts per company).",
			Thousands(n), Thousands(InitialSyncRowLimit)))
	}
}

// sizeInitialSync fills in the row counts of both sides.
func (b *builder) sizeInitialSync(a *Action, cm *config.TableMap) {
	l := b.lives[cm.Link.Name]
	if l == nil {
		return
	}
	if !serviceSync(cm) {
		b.sizeTransfer(a, cm, l.Transfers[cm.Address])
		return
	}
	a.Counts = map[string]int64{}
	if n, ok := l.RowCounts[CountKey("finops", cm.FinOps)]; ok {
		a.Counts["finops"] = n
	}
	if n, ok := l.RowCounts[CountKey("dataverse", strings.ToLower(cm.Dataverse))]; ok {
		a.Counts["dataverse"] = n
	}
	for _, n := range a.Counts {
		a.Rows += n
	}
	for _, side := range []struct{ name, table string }{{"finops", cm.FinOps}, {"dataverse", strings.ToLower(cm.Dataverse)}} {
		prefix := CountKey(side.name, side.table) + ":"
		for k, n := range l.RowCounts {
			if company, ok := strings.CutPrefix(k, prefix); ok {
				a.companyCounts(company)[side.name] = n
			}
		}
	}
	if t := l.Transfers[cm.Address]; t != nil {
		// What the exported rows do on the other side: new, changed or
		// the same (the service writes them all), and the rows the
		// filters leave out.
		for company, byOutcome := range t.Companies {
			for _, o := range append(slices.Clone(ShownOutcomes), "filtered") {
				if n := byOutcome[o]; n > 0 {
					a.companyCounts(company)[o] = n
				}
			}
		}
		a.RowChanges = redactRows(cm, t.Rows)
	}
	b.syncErrors(a, cm, l.SyncErrors[cm.Address])
}

// sizeTransfer fills in a dwctl-mode initial sync from its exact preview:
// Rows are the rows the copy writes, Counts its outcomes over all
// companies, Companies the same per company, RowChanges the first row
// differences; rows that would fail are a note and a warning.
func (b *builder) sizeTransfer(a *Action, cm *config.TableMap, t *Transfer) {
	if t == nil {
		return
	}
	a.Counts, a.Companies, a.RowChanges = map[string]int64{}, map[string]map[string]int64{}, redactRows(cm, t.Rows)
	for company, byOutcome := range t.Companies {
		a.Companies[company] = map[string]int64{}
		for o, n := range byOutcome {
			a.Companies[company][o] = n
			a.Counts[o] += n
		}
	}
	for _, o := range WrittenOutcomes {
		a.Rows += a.Counts[o]
	}
	if total := a.Counts["errors"]; total > 0 {
		b.failingRows(a, cm, fmt.Sprintf("%s %s will fail and be left out; the others are copied: %s.",
			Thousands(total), RowsWord(total), strings.Join(t.Errors, "; ")))
	}
}

// companyCounts returns an action's counts of one company, made on first
// use.
func (a *Action) companyCounts(company string) map[string]int64 {
	if a.Companies == nil {
		a.Companies = map[string]map[string]int64{}
	}
	if a.Companies[company] == nil {
		a.Companies[company] = map[string]int64{}
	}
	return a.Companies[company]
}

// failingRows reports rows an initial sync is predicted to fail on, as a
// note and as a warning at the map's initial_sync block.
func (b *builder) failingRows(a *Action, cm *config.TableMap, msg string) {
	a.Notes = append(a.Notes, msg)
	b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Initial sync rows that will fail",
		Detail: cm.Address + ": " + msg, Subject: cm.InitialSync.DeclRange.Ptr()})
}

// redactRows hides the values of the fields whose mapping holds a
// sensitive value (a sensitive default or value map).
func redactRows(cm *config.TableMap, rows []RowChange) []RowChange {
	hide := map[string]bool{}
	for i, f := range cm.Fields {
		at := fmt.Sprintf("field[%d]", i)
		if slices.ContainsFunc(cm.Sensitive, func(p string) bool { return p == at || strings.HasPrefix(p, at+"/") }) {
			hide[strings.ToUpper(f.FinOps)], hide[strings.ToLower(f.Dataverse)] = true, true
		}
	}
	if len(hide) == 0 {
		return rows
	}
	out := make([]RowChange, len(rows))
	for i, r := range rows {
		r.Fields = append([]FieldChange(nil), r.Fields...)
		for j, f := range r.Fields {
			if hide[strings.ToUpper(f.Name)] || hide[strings.ToLower(f.Name)] {
				r.Fields[j].Before, r.Fields[j].After = SensitiveText, SensitiveText
			}
		}
		out[i] = r
	}
	return out
}

// WrittenOutcomes are the outcomes of a dwctl-mode initial sync that write
// a row (Transfer.Companies); ShownOutcomes adds the rows left as they are,
// what a plan shows of what rows do on the other side.
var (
	WrittenOutcomes = []string{"dataverse_create", "dataverse_update", "finops_create", "finops_update"}
	ShownOutcomes   = append(slices.Clone(WrittenOutcomes), "unchanged")
)

// syncErrors reports the rows an initial sync is predicted to fail on: in
// the per-company breakdown, as a note, and as a warning at the map's
// initial_sync block. The other rows still sync; the failed sync is
// remembered and planned again.
func (b *builder) syncErrors(a *Action, cm *config.TableMap, e *SyncErrors) {
	if e == nil {
		return
	}
	total := int64(0)
	for company, n := range e.Companies {
		a.companyCounts(company)["errors"] = n
		total += n
	}
	b.failingRows(a, cm, fmt.Sprintf("%s %s will fail: a mandatory F&O field would be empty (%s). Fill the Dataverse rows first, or give the field a default.",
		Thousands(total), RowsWord(total), strings.Join(e.First, "; ")))
}

// serviceSync reports whether a map's initial sync runs in the service, whose runs
// are per company.
func serviceSync(cm *config.TableMap) bool {
	return cm.InitialSync != nil && cm.InitialSync.Mode != "dwctl"
}

// planBootstrap plans giving company-less Dataverse rows the company.
func (b *builder) planBootstrap(bd *binding) {
	c := b.cfg.Companies[bd.obj.Address]
	l := b.lives[bd.obj.Link]
	if c == nil || c.Bootstrap == nil || l == nil {
		return
	}
	a := &Action{Address: addrs.Bootstrap.Of(c.Address), Object: "company", Kind: Bootstrap, Reason: ReasonCompanyRowsMissing,
		Counts: map[string]int64{}, Params: Params{Tables: c.Bootstrap.Tables, Where: c.Bootstrap.Where}}
	for _, t := range c.Bootstrap.Tables {
		if w := c.Bootstrap.WhereOf(t); w != c.Bootstrap.Where {
			a.Params.Wheres = c.Bootstrap.TableWhere
			break
		}
	}
	if isSensitive(c.Sensitive, "bootstrap/where") {
		a.SensitiveParams = []string{"where"}
	}
	code := strings.ToUpper(c.ID)
	for _, t := range c.Bootstrap.Tables {
		t = strings.ToLower(t)
		n := l.RowCounts[CountKey("bootstrap", code, t)]
		a.Counts[t] = n
		a.Rows += n
		if n := l.RowCounts[CountKey("bootstrap_overlap", code, t)]; n > 0 {
			a.Notes = append(a.Notes, fmt.Sprintf("%s %s %s also match the bootstrap of a company before it, which runs first and gives them its company.",
				Thousands(n), t, RowsWord(n)))
		}
		if n := l.RowCounts[CountKey("bootstrap_taken", code, t)]; n > 0 {
			a.Notes = append(a.Notes, fmt.Sprintf("%s %s %s matching where already belong to another company; bootstrap leaves them as they are.",
				Thousands(n), t, RowsWord(n)))
		}
	}
	if a.Rows > 0 {
		b.add(a)
	}
}

func RowsWord(n int64) string {
	if n == 1 {
		return "row"
	}
	return "rows"
}
