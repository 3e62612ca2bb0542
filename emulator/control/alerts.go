package control

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/wire"
)

// Alerts and auto-pause (dual-write.md §8.4): the link's alert settings count live-sync failures;
// when an active setting's threshold is reached within its interval, its action — Pause or Stop —
// is taken on every running map (Stop also on paused ones) [D]. Failures of a write the other side
// refused are "Application" errors; the emulator has no network errors to count [I]. The failure
// log is kept in memory and starts empty at every start [I]. Settings apply from when they are
// saved; the service applies them to maps started afterwards [D], which the emulator does not model.
// The action is taken by the next write or control-plane call, in its transaction; a rolled-back
// attempt is repeated until the maps have moved.

// alertSetting is one alert setting as the control plane stores it [O: DWConnectionSet.cs].
type alertSetting struct {
	Name       string   `json:"name"`
	State      string   `json:"state"`
	ErrorTypes []string `json:"errorTypes"`
	Threshold  struct {
		Count      int    `json:"count"`
		Interval   int    `json:"interval"`
		UnitOfTime string `json:"unitOfTime"`
	} `json:"threshold"`
	Action string `json:"action"`
}

func (a alertSetting) active() bool {
	switch strings.ToLower(strings.TrimSpace(a.State)) {
	case "inactive", "disabled", "off", "false", "0":
		return false
	}
	return a.Threshold.Count > 0
}

func (a alertSetting) counts(errorType string) bool {
	return len(a.ErrorTypes) == 0 || wire.ContainsFold(a.ErrorTypes, errorType)
}

func (a alertSetting) window() time.Duration {
	unit := map[string]time.Duration{"minutes": time.Minute, "hours": time.Hour, "days": 24 * time.Hour}[strings.ToLower(a.Threshold.UnitOfTime)]
	if unit == 0 {
		unit = time.Minute
	}
	return time.Duration(max(a.Threshold.Interval, 1)) * unit
}

func parseAlerts(raw []json.RawMessage) []alertSetting {
	var out []alertSetting
	for _, r := range raw {
		var a alertSetting
		if json.Unmarshal(r, &a) == nil && a.active() {
			out = append(out, a)
		}
	}
	return out
}

// alertLog is the failures the alert settings count and the action an alert has fired.
type alertLog struct {
	mu       sync.Mutex
	failures []time.Time
	pending  string // "Pause" or "Stop", until the maps have moved
}

// noteFailure records a live-sync failure and fires the first setting whose threshold it reaches.
func (c *Plane) noteFailure(alerts []alertSetting) {
	if len(alerts) == 0 {
		return
	}
	now := c.clock()
	l := &c.alerts
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures = append(l.failures, now)
	if len(l.failures) > 100000 {
		l.failures = l.failures[len(l.failures)-100000:]
	}
	for _, a := range alerts {
		if !a.counts("Application") {
			continue
		}
		n := 0
		for _, f := range l.failures {
			if now.Sub(f) < a.window() {
				n++
			}
		}
		if n >= a.Threshold.Count && (l.pending == "" || strings.EqualFold(a.Action, "Stop")) {
			l.pending = a.Action
		}
	}
}

func (c *Plane) pendingAlert() string {
	c.alerts.mu.Lock()
	defer c.alerts.mu.Unlock()
	return c.alerts.pending
}

// applyAlert takes a fired alert's action on the maps, in the transaction of ctx. Once no map is
// left to move, the alert and the failures it counted are cleared.
func (c *Plane) applyAlert(ctx context.Context) error {
	action := c.pendingAlert()
	if action == "" {
		return nil
	}
	st, err := c.loadState(ctx)
	if err != nil {
		return err
	}
	stop := strings.EqualFold(action, "Stop")
	moved := false
	for _, m := range st.Maps {
		switch {
		case m.State == pairstate.MapRunning && !stop:
			m.State = pairstate.MapPaused
		case (m.State == pairstate.MapRunning || m.State == pairstate.MapPaused) && stop:
			m.State = pairstate.MapStopped
			if err := c.store.DiscardQueue(ctx, m.PID); err != nil {
				return err
			}
		default:
			continue
		}
		moved = true
		if err := c.art.writeArtefacts(ctx, st, m); err != nil {
			return err
		}
	}
	if !moved {
		c.alerts.mu.Lock()
		c.alerts.pending, c.alerts.failures = "", nil
		c.alerts.mu.Unlock()
		return nil
	}
	c.log.Warn("dual-write alert fired", "action", action)
	if err := c.saveState(ctx, st); err != nil {
		return err
	}
	// Whether the write this runs in commits is not known here: the next call reads the store.
	c.cache.Invalidate()
	return nil
}
