package view

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// ApplyEvent is one step of an apply as the progress view shows it (the
// command converts the applier's events; this package never imports it).
type ApplyEvent struct {
	Type    string        `json:"type"`
	Time    time.Time     `json:"time"`
	ID      string        `json:"id,omitempty"`
	Address string        `json:"address,omitempty"`
	Kind    string        `json:"kind,omitempty"`
	Result  string        `json:"result,omitempty"`
	Error   string        `json:"error,omitempty"`
	Rows    int64         `json:"rows,omitempty"`
	Total   int64         `json:"total,omitempty"`
	Message string        `json:"message,omitempty"`
	Serial  uint64        `json:"serial,omitempty"`
	Elapsed time.Duration `json:"elapsed_ns,omitempty"`
	Summary *ApplySummary `json:"summary,omitempty"`
}

// ApplySummary counts the outcomes of an apply's actions.
type ApplySummary struct {
	OK             int   `json:"ok"`
	Failed         int   `json:"failed"`
	Canceled       int   `json:"canceled"`
	NotStarted     int   `json:"not_started"`
	Added          int   `json:"added"`
	Changed        int   `json:"changed"`
	Destroyed      int   `json:"destroyed"`
	DataOperations int   `json:"data_operations"`
	Rows           int64 `json:"rows"`
}

// doneText is what an apply did, in the plan summary's terms: "9 added,
// 0 changed, 0 destroyed; 3 data operations (27 rows written)".
func (s *ApplySummary) doneText() string {
	out := fmt.Sprintf("%d added, %d changed, %d destroyed", s.Added, s.Changed, s.Destroyed)
	if s.DataOperations > 0 {
		out += fmt.Sprintf("; %s (%s written)", plural(s.DataOperations, "data operation"), plural(int(s.Rows), "row"))
	}
	return out
}

// ApplyResult is one action's outcome for the closing report.
type ApplyResult struct {
	ID      string `json:"id"`
	Outcome string `json:"outcome"` // ok, failed, canceled, not_started
	Error   string `json:"error,omitempty"`
}

// Progress shows an apply as it runs: one line per action start and end on
// Err, a progress bar with rows/s and ETA for data operations when Err is
// a terminal (Bars), or with JSON one object per event on Out.
type Progress struct {
	Streams
	JSON bool
	// Bars enables progress bars; set it only when Err is a terminal.
	Bars bool
	mu   sync.Mutex
	bars map[string]*progressbar.ProgressBar
}

// Event shows one event.
func (v *Progress) Event(e ApplyEvent) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.JSON {
		return writeJSON(v.Out, e)
	}
	switch e.Type {
	case "action_start":
		v.endBar(e.ID)
		_, err := fmt.Fprintf(v.Err, "%s: %s...\n", paint(v.ErrColor, ansiBold, e.Address), verb(e.Kind))
		return err
	case "action_progress":
		v.bar(e)
		return nil
	case "action_done":
		v.endBar(e.ID)
		return v.done(e)
	case "apply_done":
		return v.summary(e)
	}
	return nil
}

// verb names what an action kind does, for the progress lines.
func verb(kind string) string {
	switch kind {
	case "create":
		return "creating"
	case "update":
		return "updating"
	case "delete":
		return "deleting"
	case "replace":
		return "replacing"
	case "reset":
		return "resetting"
	case "stop":
		return "stopping"
	case "save_version":
		return "saving a version"
	case "switch_version":
		return "switching the version"
	case "bootstrap":
		return "bootstrapping company rows"
	case "initial_sync":
		return "running the initial sync"
	}
	return strings.TrimSuffix(kind, "e") + "ing"
}

func (v *Progress) done(e ApplyEvent) error {
	took := e.Elapsed.Round(time.Millisecond)
	var line string
	switch e.Result {
	case "ok":
		line = fmt.Sprintf("%s: %s complete after %s", paint(v.ErrColor, ansiBold, e.Address), e.Kind, took)
		if e.Message != "" {
			line += " (" + e.Message + ")"
		}
	case "canceled":
		line = fmt.Sprintf("%s: %s interrupted after %s; apply resumes it", paint(v.ErrColor, ansiBold+ansiYellow, e.Address), e.Kind, took)
	default:
		line = fmt.Sprintf("%s: %s failed after %s: %s", paint(v.ErrColor, ansiBold+ansiRed, e.Address), e.Kind, took, e.Error)
	}
	_, err := fmt.Fprintln(v.Err, line)
	return err
}

func (v *Progress) summary(e ApplyEvent) error {
	s := e.Summary
	if s == nil {
		return nil
	}
	if s.Failed == 0 && s.Canceled == 0 && s.NotStarted == 0 && e.Error == "" {
		_, err := fmt.Fprintf(v.Err, "\n%s %s; %s done; state serial %d.\n", paint(v.ErrColor, ansiBold+ansiGreen, "Apply complete!"),
			s.doneText(), plural(s.OK, "action"), e.Serial)
		return err
	}
	_, err := fmt.Fprintf(v.Err, "\n%s %d done, %d failed, %d interrupted, %d not started (done: %s); state serial %d.\n",
		paint(v.ErrColor, ansiBold+ansiRed, "Apply stopped:"), s.OK, s.Failed, s.Canceled, s.NotStarted, s.doneText(), e.Serial)
	return err
}

// Report lists what ran, what failed and what did not start, after an
// apply that did not finish (nothing with JSON: the events said it all).
func (v *Progress) Report(results []ApplyResult) error {
	if v.JSON {
		return nil
	}
	groups := []struct{ outcome, title string }{{"ok", "Done"}, {"failed", "Failed"}, {"canceled", "Interrupted"}, {"not_started", "Not started"}}
	for _, g := range groups {
		var lines []string
		for _, r := range results {
			if r.Outcome == g.outcome {
				line := "  - " + r.ID
				if r.Error != "" && g.outcome != "ok" {
					line += ": " + strings.ReplaceAll(r.Error, "\n", "\n    ")
				}
				lines = append(lines, line)
			}
		}
		if len(lines) == 0 {
			continue
		}
		if _, err := fmt.Fprintf(v.Err, "%s:\n%s\n", g.title, strings.Join(lines, "\n")); err != nil {
			return err
		}
	}
	return nil
}

// bar advances the progress bar of a data operation.
func (v *Progress) bar(e ApplyEvent) {
	if !v.Bars || e.Total <= 0 {
		return
	}
	if v.bars == nil {
		v.bars = map[string]*progressbar.ProgressBar{}
	}
	b := v.bars[e.ID]
	if b == nil {
		b = progressbar.NewOptions64(e.Total, progressbar.OptionSetWriter(v.Err), progressbar.OptionSetDescription(e.Address),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"),
			progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond))
		v.bars[e.ID] = b
	}
	_ = b.Set64(min(e.Rows, e.Total))
}

func (v *Progress) endBar(id string) {
	if b := v.bars[id]; b != nil {
		_ = b.Clear()
		_, _ = io.WriteString(v.Err, "\r")
		delete(v.bars, id)
	}
}
