package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/dwctl/dwctl/emulator/authority"
	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// runtimeGuard is what Dataverse writes check: the tables of maps whose runtime plug-in is
// registered (running, paused, initialising or resuming); and the link's alert settings.
type runtimeGuard struct {
	tables map[string]bool
	alerts []alertSetting // the link's active alert settings
}

// refreshGuard takes the committed state to the guard and the live-sync runtime.
func (c *Plane) refreshGuard(st *pairstate.State) {
	c.runtime.SetMaps(c.cat.runtimeMaps(st))
	g := &runtimeGuard{tables: map[string]bool{}}
	if st.Link != nil {
		g.alerts = parseAlerts(st.Link.Alerts)
	}
	for _, m := range st.Maps {
		switch m.State {
		case pairstate.MapRunning, pairstate.MapPaused, pairstate.MapCatchUp, pairstate.MapInitialSync:
			if t, ok := c.store.TableBySet(store.Dataverse, m.ActiveTemplate().Def.Dataverse); ok {
				g.tables[t.Name] = true
			}
		}
	}
	c.guard.Store(g)
}

// CheckRuntime is the dual-write runtime plug-in's check on a Dataverse write to a table with a
// running map: a runtime configuration bound to another organisation (left by a database copy)
// fails the write with the plug-in's message [D].
func (c *Plane) CheckRuntime(ctx context.Context, t *store.Table) *wire.Error {
	if t.Service != store.Dataverse {
		return nil
	}
	if g := c.guard.Load(); g == nil || !g.tables[t.Name] {
		return nil
	}
	var foreign string
	err := c.store.Scan(ctx, store.Dataverse, runtimeConfigTable, "", func(r store.Row) (bool, error) {
		var u struct {
			OrganizationID string `json:"OrganizationId"`
		}
		if s, ok := r.Data["msdyn_unsecure"].(string); ok && json.Unmarshal([]byte(s), &u) == nil &&
			u.OrganizationID != "" && !strings.EqualFold(u.OrganizationID, c.id.OrganizationID) {
			foreign = u.OrganizationID
			return false, nil
		}
		return true, nil
	})
	if err != nil {
		return wire.StoreError(err)
	}
	if foreign != "" {
		return wire.NewError(http.StatusBadRequest, "0x80040265", "SecureConfig Organization (%s) does not match actual CRM Organization (%s).", foreign, c.id.OrganizationID)
	}
	return nil
}

// CopyDataTo simulates a database refresh (copying PROD to a sandbox): it writes a consistent copy
// of this pair's database — rows of both services, metadata, the link and maps, and the runtime
// configuration bound to this pair's organisation — into dir, which must not be in use by a
// running emulator. An emulator started on dir keeps (or makes) its own identity, so its Dataverse
// organisation differs: writes to tables with running maps then fail with "SecureConfig
// Organization (…) does not match actual CRM Organization (…)", and its link still points at this
// pair's Dataverse environment.
func (c *Plane) CopyDataTo(ctx context.Context, dir string) error {
	if dir == "" {
		return errors.New("emulator: copy: no target directory")
	}
	src, _ := filepath.Abs(c.dataDir)
	dst, _ := filepath.Abs(dir)
	if src == dst {
		return errors.New("emulator: copy: the target is this emulator's own data directory")
	}
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return fmt.Errorf("emulator: copy: %w", err)
	}
	db := filepath.Join(dst, store.DatabaseFileName)
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("emulator: copy: %w", err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.store.CopyTo(ctx, db); err != nil {
		return fmt.Errorf("emulator: copy to %s: %w", dst, err)
	}
	return os.Chmod(db, 0o600)
}

// serveRefresh is the admin endpoint of CopyDataTo: POST {"target_dir": "..."} with a control-plane
// token.
func (c *Plane) serveRefresh(w http.ResponseWriter, r *http.Request) {
	if _, err := c.tokens.Authorize(r, authority.ControlAudience); err != nil {
		c.answer(w, nil, gwErr(http.StatusUnauthorized, "Unauthorized", "Authentication failed: %s.", authority.DescribeTokenError(err)))
		return
	}
	var body struct {
		TargetDir string `json:"target_dir"`
	}
	if err := readJSON(r, &body); err != nil {
		c.answer(w, nil, err)
		return
	}
	if err := c.CopyDataTo(r.Context(), body.TargetDir); err != nil {
		c.answer(w, nil, gwErr(http.StatusBadRequest, "CopyFailed", "%v", err))
		return
	}
	c.answer(w, map[string]string{"copied_to": body.TargetDir}, nil)
}
