package control

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/dwctl/dwctl/emulator/store"
)

// The control plane's state is kept in the store's settings, one entry per object, so that it is
// persisted (and copied by a database refresh) with the rows and a call writes only the objects it
// changed: the link, the order of the maps, each map with its versions and runtime state, each
// asynchronous request, each project's initial-sync results and each solution request. Data
// directories made before kept everything in one entry (legacyStateSetting); it is read once and
// replaced by the entries at the next write.
//
// The last committed state is kept in memory: a call works on a copy of it (clone), and the copy
// becomes the committed state only once the call's store transaction committed (serve).
const (
	legacyStateSetting    = "control/state"
	statePrefix           = "control/"
	linkKey               = statePrefix + "link"
	mapOrderKey           = statePrefix + "maps"
	mapPrefix             = statePrefix + "map/"
	requestPrefix         = statePrefix + "request/"
	executionsPrefix      = statePrefix + "executions/"
	solutionRequestPrefix = statePrefix + "solution-request/"
)

// stateCache is the last committed state. gen counts invalidations, so a call that committed while
// another writer invalidated the cache does not put back a stale state.
type stateCache struct {
	mu        sync.Mutex
	committed *ctlState
	gen       uint64
}

func (s *stateCache) get() (*ctlState, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.committed, s.gen
}

// set makes st the committed state unless the cache was invalidated since gen.
func (s *stateCache) set(st *ctlState, gen uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen == gen {
		s.committed = st
	}
}

func (s *stateCache) invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.committed = nil
	s.gen++
}

// loadState returns a copy of the state to work on: of the committed state in memory, or read from
// the store (in the transaction of ctx) when there is none.
func (c *Plane) loadState(ctx context.Context) (*ctlState, error) {
	base, gen := c.cache.get()
	if base == nil {
		var err error
		if base, err = c.readState(ctx); err != nil {
			return nil, err
		}
		if !store.InTransaction(ctx) { // what a transaction reads may not be committed
			c.cache.set(base, gen)
		}
	}
	st := base.clone()
	if l := st.Link; l != nil && (l.Environment == "" || l.Dataset == "") {
		l.Environment, l.Dataset = c.cat.dataverseNames(l.Organization)
	}
	return st, nil
}

// readState reads the state from the store (an empty one when none is stored).
func (c *Plane) readState(ctx context.Context) (*ctlState, error) {
	kv, err := c.store.Settings(ctx, statePrefix)
	if err != nil {
		return nil, err
	}
	st := &ctlState{Requests: map[string]*ctlRequest{}, Executions: map[string][]ctlExecution{}, SolutionRequests: map[string]*ctlSolutionRequest{}}
	if raw, ok := kv[legacyStateSetting]; ok && kv[mapOrderKey] == "" && kv[linkKey] == "" {
		if err := json.Unmarshal([]byte(raw), st); err != nil {
			return nil, fmt.Errorf("stored control-plane state: %w", err)
		}
		st.normalise()
		st.legacy = true
		return st, nil
	}
	decode := func(key string, v any) error {
		if err := json.Unmarshal([]byte(kv[key]), v); err != nil {
			return fmt.Errorf("stored control-plane state %s: %w", key, err)
		}
		return nil
	}
	if _, ok := kv[linkKey]; ok {
		if err := decode(linkKey, &st.Link); err != nil {
			return nil, err
		}
	}
	var order []string
	if _, ok := kv[mapOrderKey]; ok {
		if err := decode(mapOrderKey, &order); err != nil {
			return nil, err
		}
	}
	for _, k := range order {
		m := &ctlMap{}
		if err := decode(mapPrefix+k, m); err != nil {
			return nil, err
		}
		st.Maps = append(st.Maps, m)
	}
	for key := range kv {
		switch {
		case strings.HasPrefix(key, requestPrefix):
			r := &ctlRequest{}
			if err := decode(key, r); err != nil {
				return nil, err
			}
			st.Requests[strings.TrimPrefix(key, requestPrefix)] = r
		case strings.HasPrefix(key, executionsPrefix):
			var e []ctlExecution
			if err := decode(key, &e); err != nil {
				return nil, err
			}
			st.Executions[strings.TrimPrefix(key, executionsPrefix)] = e
		case strings.HasPrefix(key, solutionRequestPrefix):
			r := &ctlSolutionRequest{}
			if err := decode(key, r); err != nil {
				return nil, err
			}
			st.SolutionRequests[strings.TrimPrefix(key, solutionRequestPrefix)] = r
		}
	}
	return st, nil
}

// saveState writes the objects of st that differ from the state it was loaded from, in the
// transaction of ctx, and takes the maps that run to the runtime. The caller makes st the committed
// state once the transaction committed (serve), or drops the cache when it cannot tell (alerts).
func (c *Plane) saveState(ctx context.Context, st *ctlState) error {
	base := st.base
	if base == nil || base.legacy {
		base = &ctlState{}
	}
	put := func(key string, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return c.store.SetSetting(ctx, key, string(data))
	}
	if !reflect.DeepEqual(st.Link, base.Link) {
		if err := put(linkKey, st.Link); err != nil {
			return err
		}
	}
	oldMaps := map[string]*ctlMap{}
	for _, m := range base.Maps {
		oldMaps[mapKey(m)] = m
	}
	order := make([]string, 0, len(st.Maps))
	for _, m := range st.Maps {
		k := mapKey(m)
		order = append(order, k)
		if old, ok := oldMaps[k]; !ok || !reflect.DeepEqual(m, old) {
			if err := put(mapPrefix+k, m); err != nil {
				return err
			}
		}
		delete(oldMaps, k)
	}
	for k := range oldMaps {
		if err := c.store.DeleteSetting(ctx, mapPrefix+k); err != nil {
			return err
		}
	}
	if !slices.Equal(order, mapKeys(base.Maps)) {
		if err := put(mapOrderKey, order); err != nil {
			return err
		}
	}
	if err := saveObjects(ctx, c, requestPrefix, st.Requests, base.Requests); err != nil {
		return err
	}
	if err := saveObjects(ctx, c, executionsPrefix, st.Executions, base.Executions); err != nil {
		return err
	}
	if err := saveObjects(ctx, c, solutionRequestPrefix, st.SolutionRequests, base.SolutionRequests); err != nil {
		return err
	}
	if st.base != nil && st.base.legacy {
		if err := c.store.DeleteSetting(ctx, legacyStateSetting); err != nil {
			return err
		}
	}
	c.refreshGuard(st)
	return nil
}

// saveObjects writes the entries of now that are new or changed since before and deletes those
// that are gone.
func saveObjects[V any](ctx context.Context, c *Plane, prefix string, now, before map[string]V) error {
	for id, v := range now {
		if old, ok := before[id]; ok && reflect.DeepEqual(v, old) {
			continue
		}
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := c.store.SetSetting(ctx, prefix+id, string(data)); err != nil {
			return err
		}
	}
	for id := range before {
		if _, ok := now[id]; !ok {
			if err := c.store.DeleteSetting(ctx, prefix+id); err != nil {
				return err
			}
		}
	}
	return nil
}

// mapKey names a map in the store: the id of its first version, which never changes.
func mapKey(m *ctlMap) string {
	if len(m.Templates) == 0 {
		return "none"
	}
	return m.Templates[0].ID
}

func mapKeys(ms []*ctlMap) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = mapKey(m)
	}
	return out
}

// normalise gives a state read from the store its empty collections.
func (s *ctlState) normalise() {
	if s.Requests == nil {
		s.Requests = map[string]*ctlRequest{}
	}
	if s.Executions == nil {
		s.Executions = map[string][]ctlExecution{}
	}
	if s.SolutionRequests == nil {
		s.SolutionRequests = map[string]*ctlSolutionRequest{}
	}
}

// clone returns a copy of s that a call may change without changing s, remembering s as its base.
// Versions (templates) and request parameters never change once made, so they are shared.
func (s *ctlState) clone() *ctlState {
	out := &ctlState{base: s, Requests: make(map[string]*ctlRequest, len(s.Requests)),
		Executions: make(map[string][]ctlExecution, len(s.Executions)), SolutionRequests: make(map[string]*ctlSolutionRequest, len(s.SolutionRequests))}
	if s.Link != nil {
		l := *s.Link
		l.LegalEntities = slices.Clone(l.LegalEntities)
		l.Alerts = slices.Clone(l.Alerts)
		l.Keys = make(map[string][]string, len(s.Link.Keys))
		for k, v := range s.Link.Keys {
			l.Keys[k] = slices.Clone(v)
		}
		out.Link = &l
	}
	out.Maps = make([]*ctlMap, len(s.Maps))
	for i, m := range s.Maps {
		cm := *m
		cm.Templates = slices.Clone(m.Templates)
		cm.Requests = slices.Clone(m.Requests)
		out.Maps[i] = &cm
	}
	for id, r := range s.Requests {
		cr := *r
		cr.Templates = slices.Clone(r.Templates)
		out.Requests[id] = &cr
	}
	for pid, e := range s.Executions {
		out.Executions[pid] = slices.Clone(e)
	}
	for id, r := range s.SolutionRequests {
		cr := *r
		out.SolutionRequests[id] = &cr
	}
	return out
}
