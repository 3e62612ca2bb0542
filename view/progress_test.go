package view

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestProgressLines(t *testing.T) {
	cases := map[string]struct {
		events []ApplyEvent
		want   string
	}{
		"start and finish": {
			events: []ApplyEvent{
				{Type: "apply_start", Total: 1},
				{Type: "action_start", ID: "link.main:create", Address: "link.main", Kind: "create"},
				{Type: "action_done", ID: "link.main:create", Address: "link.main", Kind: "create", Result: "ok", Elapsed: 1500 * time.Millisecond},
				{Type: "apply_done", Serial: 2, Summary: &ApplySummary{OK: 1, Added: 1}},
			},
			want: "link.main: creating...\nlink.main: create complete after 1.5s\n\nApply complete! 1 added, 0 changed, 0 destroyed; 1 action done; state serial 2.\n",
		},
		"failure, interrupt and summary": {
			events: []ApplyEvent{
				{Type: "action_done", Address: "company.USRT", Kind: "create", Result: "failed", Error: "400 Bad Request", Elapsed: time.Second},
				{Type: "action_done", Address: "initial_sync.table_map.customers", Kind: "initial_sync", Result: "canceled", Elapsed: time.Second},
				{Type: "apply_done", Serial: 3, Summary: &ApplySummary{OK: 1, Failed: 1, Canceled: 1, NotStarted: 4, Changed: 1, DataOperations: 1, Rows: 1200}, Error: "apply did not finish"},
			},
			want: "company.USRT: create failed after 1s: 400 Bad Request\n" +
				"initial_sync.table_map.customers: initial_sync interrupted after 1s; apply resumes it\n" +
				"\nApply stopped: 1 done, 1 failed, 1 interrupted, 4 not started (done: 0 added, 1 changed, 0 destroyed; 1 data operation (1200 rows written)); state serial 3.\n",
		},
		"progress without a terminal prints nothing": {
			events: []ApplyEvent{{Type: "action_progress", ID: "x", Rows: 10, Total: 100}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			v := &Progress{Streams: Streams{Out: &out, Err: &errb}}
			for _, e := range tc.events {
				if err := v.Event(e); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tc.want, errb.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if out.Len() > 0 {
				t.Errorf("stdout is not empty: %q", out.String())
			}
		})
	}
}

func TestProgressJSON(t *testing.T) {
	var out, errb bytes.Buffer
	v := &Progress{Streams: Streams{Out: &out, Err: &errb}, JSON: true}
	events := []ApplyEvent{{Type: "apply_start", Total: 2}, {Type: "action_progress", ID: "a", Rows: 5, Total: 10}, {Type: "apply_done"}}
	for _, e := range events {
		if err := v.Event(e); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var got []ApplyEvent
	for _, l := range lines {
		var e ApplyEvent
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		got = append(got, e)
	}
	if diff := cmp.Diff(events, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if errb.Len() > 0 {
		t.Errorf("stderr is not empty with -json: %q", errb.String())
	}
}

func TestProgressReport(t *testing.T) {
	var errb bytes.Buffer
	v := &Progress{Streams: Streams{Out: &bytes.Buffer{}, Err: &errb}}
	err := v.Report([]ApplyResult{{ID: "a:create", Outcome: "ok"}, {ID: "b:start", Outcome: "failed", Error: "boom\nsecond line"},
		{ID: "c:start", Outcome: "not_started", Error: "not started: b:start failed"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "Done:\n  - a:create\nFailed:\n  - b:start: boom\n    second line\nNot started:\n  - c:start: not started: b:start failed\n"
	if diff := cmp.Diff(want, errb.String()); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
}
