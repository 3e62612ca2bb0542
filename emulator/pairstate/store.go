package pairstate

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

// The state is kept in the store's settings, one entry per object, so that it is
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

// Cache holds the last committed state. gen counts invalidations, so a call that committed while
// another writer invalidated the cache does not put back a stale state.
type Cache struct {
	mu        sync.Mutex
	committed *State
	gen       uint64
}

// Get returns the committed state (nil when none is held) and the count of invalidations.
func (s *Cache) Get() (*State, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.committed, s.gen
}

// Set makes st the committed state unless the cache was invalidated since gen.
func (s *Cache) Set(st *State, gen uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen == gen {
		s.committed = st
	}
}

// Invalidate drops the committed state: the next reader reads the store.
func (s *Cache) Invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.committed = nil
	s.gen++
}

// Read reads the state from the store (an empty one when none is stored).
func Read(ctx context.Context, st *store.Store) (*State, error) {
	kv, err := st.Settings(ctx, statePrefix)
	if err != nil {
		return nil, err
	}
	s := &State{Requests: map[string]*Request{}, Executions: map[string][]Execution{}, SolutionRequests: map[string]*SolutionRequest{}}
	if raw, ok := kv[legacyStateSetting]; ok && kv[mapOrderKey] == "" && kv[linkKey] == "" {
		if err := json.Unmarshal([]byte(raw), s); err != nil {
			return nil, fmt.Errorf("stored control-plane state: %w", err)
		}
		s.Normalise()
		s.legacy = true
		return s, nil
	}
	decode := func(key string, v any) error {
		if err := json.Unmarshal([]byte(kv[key]), v); err != nil {
			return fmt.Errorf("stored control-plane state %s: %w", key, err)
		}
		return nil
	}
	if _, ok := kv[linkKey]; ok {
		if err := decode(linkKey, &s.Link); err != nil {
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
		m := &Map{}
		if err := decode(mapPrefix+k, m); err != nil {
			return nil, err
		}
		s.Maps = append(s.Maps, m)
	}
	for key := range kv {
		switch {
		case strings.HasPrefix(key, requestPrefix):
			r := &Request{}
			if err := decode(key, r); err != nil {
				return nil, err
			}
			s.Requests[strings.TrimPrefix(key, requestPrefix)] = r
		case strings.HasPrefix(key, executionsPrefix):
			var e []Execution
			if err := decode(key, &e); err != nil {
				return nil, err
			}
			s.Executions[strings.TrimPrefix(key, executionsPrefix)] = e
		case strings.HasPrefix(key, solutionRequestPrefix):
			r := &SolutionRequest{}
			if err := decode(key, r); err != nil {
				return nil, err
			}
			s.SolutionRequests[strings.TrimPrefix(key, solutionRequestPrefix)] = r
		}
	}
	return s, nil
}

// Save writes the objects of s that differ from the state it is a copy of, in the transaction of ctx.
// The caller makes s the committed state once the transaction committed (Detach, Cache.Set), or
// invalidates the cache when it cannot tell.
func (s *State) Save(ctx context.Context, db *store.Store) error {
	st := s
	base := st.base
	if base == nil || base.legacy {
		base = &State{}
	}
	put := func(key string, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return db.SetSetting(ctx, key, string(data))
	}
	if !reflect.DeepEqual(st.Link, base.Link) {
		if err := put(linkKey, st.Link); err != nil {
			return err
		}
	}
	oldMaps := map[string]*Map{}
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
		if err := db.DeleteSetting(ctx, mapPrefix+k); err != nil {
			return err
		}
	}
	if !slices.Equal(order, mapKeys(base.Maps)) {
		if err := put(mapOrderKey, order); err != nil {
			return err
		}
	}
	if err := saveObjects(ctx, db, requestPrefix, st.Requests, base.Requests); err != nil {
		return err
	}
	if err := saveObjects(ctx, db, executionsPrefix, st.Executions, base.Executions); err != nil {
		return err
	}
	if err := saveObjects(ctx, db, solutionRequestPrefix, st.SolutionRequests, base.SolutionRequests); err != nil {
		return err
	}
	if st.base != nil && st.base.legacy {
		if err := db.DeleteSetting(ctx, legacyStateSetting); err != nil {
			return err
		}
	}
	return nil
}

// Detach ends a copy's tie to the state it was cloned from, once it has become the committed state.
func (s *State) Detach() { s.base = nil }

// saveObjects writes the entries of now that are new or changed since before and deletes those
// that are gone.
func saveObjects[V any](ctx context.Context, db *store.Store, prefix string, now, before map[string]V) error {
	for id, v := range now {
		if old, ok := before[id]; ok && reflect.DeepEqual(v, old) {
			continue
		}
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := db.SetSetting(ctx, prefix+id, string(data)); err != nil {
			return err
		}
	}
	for id := range before {
		if _, ok := now[id]; !ok {
			if err := db.DeleteSetting(ctx, prefix+id); err != nil {
				return err
			}
		}
	}
	return nil
}

// mapKey names a map in the store: the id of its first version, which never changes.
func mapKey(m *Map) string {
	if len(m.Templates) == 0 {
		return "none"
	}
	return m.Templates[0].ID
}

func mapKeys(ms []*Map) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = mapKey(m)
	}
	return out
}

// Normalise gives a state read from the store its empty collections.
func (s *State) Normalise() {
	if s.Requests == nil {
		s.Requests = map[string]*Request{}
	}
	if s.Executions == nil {
		s.Executions = map[string][]Execution{}
	}
	if s.SolutionRequests == nil {
		s.SolutionRequests = map[string]*SolutionRequest{}
	}
}

// Clone returns a copy of s that a call may change without changing s, remembering s as its base.
// Versions (templates) and request parameters never change once made, so they are shared.
func (s *State) Clone() *State {
	out := &State{base: s, Requests: make(map[string]*Request, len(s.Requests)),
		Executions: make(map[string][]Execution, len(s.Executions)), SolutionRequests: make(map[string]*SolutionRequest, len(s.SolutionRequests))}
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
	out.Maps = make([]*Map, len(s.Maps))
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
