package dualwrite

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/providers"
)

// fakeClock is a clock that only moves when the poller sleeps.
type fakeClock struct {
	now    time.Time
	sleeps []time.Duration
}

func (f *fakeClock) options(timeout time.Duration) PollOptions {
	return PollOptions{Interval: time.Second, MaxInterval: 4 * time.Second, Timeout: timeout,
		Now: func() time.Time { return f.now },
		Sleep: func(_ context.Context, d time.Duration) error {
			f.sleeps = append(f.sleeps, d)
			f.now = f.now.Add(d)
			return nil
		}}
}

func statusAnswer(t *testing.T, state, msg string) string {
	return "[" + mapJSON(t, func(m map[string]any) {
		detail(m)["lastRequests"] = []any{map[string]any{"requestId": "r9", "action": "1", "state": state, "errorMessage": msg}}
	}) + "]"
}

func TestWait(t *testing.T) {
	cases := map[string]struct {
		answers    []string
		timeout    time.Duration
		wantState  providers.RequestState
		wantSleeps []time.Duration
		wantErr    string
	}{
		"completed after polls with backoff": {
			answers: []string{statusAnswer(t, "1", ""), statusAnswer(t, "1", ""), statusAnswer(t, "1", ""), statusAnswer(t, "1", ""), statusAnswer(t, "2", "")},
			timeout: time.Hour, wantState: providers.RequestCompleted,
			wantSleeps: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second},
		},
		"error names step, map and message": {
			answers: []string{statusAnswer(t, "1", ""), statusAnswer(t, "3", "Exceeds the maximum partitions allowed for mapping DWM-1")},
			timeout: time.Hour, wantState: providers.RequestError, wantSleeps: []time.Duration{time.Second},
			wantErr: `dual-write: start "accounts - Customers V3": request r9 failed: Exceeds the maximum partitions allowed for mapping DWM-1`,
		},
		"timeout": {
			answers: []string{statusAnswer(t, "1", "")}, timeout: 5 * time.Second, wantState: providers.RequestWaiting,
			wantSleeps: []time.Duration{time.Second, 2 * time.Second}, wantErr: "still waiting after 5s",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			c, g := newRecorded(t, map[string][]string{"GET /api/DualWriteManagement/1.0/Status/r9": tc.answers}, clock.options(tc.timeout))
			req, err := c.Wait(context.Background(), testLink, "r9")
			if req.State != tc.wantState {
				t.Errorf("state = %v, want %v", req.State, tc.wantState)
			}
			if diff := cmp.Diff(tc.wantSleeps, clock.sleeps); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			if tc.wantErr == "" && err != nil {
				t.Fatalf("Wait: %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
			if len(g.got) != len(tc.wantSleeps)+1 {
				t.Errorf("%d polls, want %d", len(g.got), len(tc.wantSleeps)+1)
			}
		})
	}
}

func TestWaitUnknownRequest(t *testing.T) {
	c, _ := newRecorded(t, map[string][]string{"GET /api/DualWriteManagement/1.0/Status/zz": {statusAnswer(t, "1", "")}}, PollOptions{})
	_, err := c.Wait(context.Background(), testLink, "zz")
	assertChanged(t, err, "GET Status/zz", "[].detail.lastRequests", `no request with id "zz"`)
}

func TestWaitRequestError(t *testing.T) {
	c, _ := newRecorded(t, map[string][]string{"GET /api/DualWriteManagement/1.0/Status/r9": {statusAnswer(t, "3", "boom")}}, PollOptions{})
	_, err := c.Wait(context.Background(), testLink, "r9")
	var re *RequestError
	if !errors.As(err, &re) || re.Step != "start" || re.Message != "boom" || len(re.Maps) != 1 {
		t.Fatalf("error = %#v", err)
	}
}

func TestActBodies(t *testing.T) {
	m := providers.Map{TemplateID: "t1", ProjectID: "p1", DisplayName: "accounts - Customers V3"}
	cases := map[string]struct {
		action providers.MapAction
		opts   providers.ActionOptions
		want   string
	}{
		"start from finops": {action: providers.ActionStart, opts: providers.ActionOptions{Master: "finops"},
			want: `{"action":"1","details":[{"cid":"cid-1","parameters":{"conflictResolution":{"master":"AX","option":"1"},"skipInitialSync":false},"pid":"p1","tid":"t1"}]}`},
		"start skipping initial sync": {action: providers.ActionStart, opts: providers.ActionOptions{SkipInitialSync: true},
			want: `{"action":"1","details":[{"cid":"cid-1","parameters":{"conflictResolution":{"master":"CRM","option":"1"},"skipInitialSync":true},"pid":"p1","tid":"t1"}]}`},
		"stop":                 {action: providers.ActionStop, want: `{"action":"4","details":[{"cid":"cid-1","pid":"p1","tid":"t1"}]}`},
		"resume with catch-up": {action: providers.ActionResume, want: `{"action":"6","details":[{"cid":"cid-1","pid":"p1","tid":"t1"}]}`},
		"resume skipping, keeping the queue": {action: providers.ActionResume, opts: providers.ActionOptions{SkipCatchUp: true, PreserveQueue: true},
			want: `{"action":"6","details":[{"cid":"cid-1","parameters":{"dualWriteSkipCatchUpSyncParameters":{"skipCatchUpSyncPreserveData":true}},"pid":"p1","tid":"t1"}]}`},
		"initialize has no pid": {action: providers.ActionInitialize, want: `{"action":"8","details":[{"cid":"cid-1","tid":"t1"}]}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, g := newRecorded(t, map[string][]string{"POST /api/DualWriteManagement/1.0/Start": {`{"requestId":"r1"}`}}, PollOptions{})
			id, err := c.Act(context.Background(), testLink, tc.action, []providers.Map{m}, tc.opts)
			if err != nil || id != "r1" {
				t.Fatalf("Act = %q, %v", id, err)
			}
			var got, want any
			_ = json.Unmarshal([]byte(g.got[0].Body), &got)
			_ = json.Unmarshal([]byte(tc.want), &want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}
