package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRefreshedAcceptsDrift(t *testing.T) {
	cfg := loadConfig(t, baseConfig)
	first, _ := Build(cfg, map[string]*Live{"main": baseLive()}, nil, Options{})
	st := applied(first)
	l := baseLive()
	l.Maps[1].Definition.DataverseFilter = "customertypecode eq 5"
	l.Maps = l.Maps[1:] // currencies is gone
	lives := map[string]*Live{"main": l}
	p, _ := Build(cfg, lives, st, Options{RefreshOnly: true})
	if len(p.Drift) != 2 || !p.IsEmpty() {
		t.Fatalf("refresh-only plan: %d drift, %d actions", len(p.Drift), len(p.Actions))
	}
	refreshed, gone := Refreshed(st, lives)
	if diff := cmp.Diff([]string{"table_map.currencies"}, gone); diff != "" {
		t.Errorf("gone (-want +got):\n%s", diff)
	}
	again, _ := Build(cfg, lives, refreshed, Options{})
	if len(again.Drift) != 0 {
		t.Errorf("drift after refresh: %+v", again.Drift)
	}
	if refreshed.Serial != st.Serial || len(refreshed.Objects) != len(st.Objects)-1 {
		t.Errorf("refreshed state: serial %d, %d objects", refreshed.Serial, len(refreshed.Objects))
	}
}
