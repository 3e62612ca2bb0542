package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Guard keeps sensitive values out of stored state: callers give it the
// values of sensitive variables and credentials, and it refuses any state
// that contains one of them anywhere, in any JSON escaping.
type Guard struct {
	secrets []string
}

// NewGuard returns a Guard for the given sensitive values; empty ones are
// ignored.
func NewGuard(secrets ...string) *Guard {
	g := &Guard{}
	for _, s := range secrets {
		if s != "" && !slices.Contains(g.secrets, s) {
			g.secrets = append(g.secrets, s)
		}
	}
	return g
}

// SecretError says where a sensitive value was found, never the value.
type SecretError struct {
	Path string // e.g. objects["link.main"].attributes.password
}

// Error names where the sensitive value was found.
func (e *SecretError) Error() string {
	return fmt.Sprintf("refusing to store state: a sensitive value appears in %s", e.Path)
}

// CheckState returns a *SecretError if s contains a sensitive value.
func (g *Guard) CheckState(s *State) error {
	if len(g.secrets) == 0 {
		return nil
	}
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return g.checkJSON(data)
}

// RedactJournal returns e with sensitive values in its message replaced by
// "(sensitive value)", and a *SecretError if one appears in another field.
func (g *Guard) RedactJournal(e JournalEntry) (JournalEntry, error) {
	for _, s := range g.secrets {
		e.Message = strings.ReplaceAll(e.Message, s, "(sensitive value)")
	}
	data, err := json.Marshal(e)
	if err != nil {
		return e, err
	}
	if err := g.checkJSON(data); err != nil {
		return e, fmt.Errorf("journal entry: %w", err)
	}
	return e, nil
}

func (g *Guard) checkJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if path, found := g.find(v, ""); found {
		if path == "" {
			path = "the document"
		}
		return &SecretError{Path: strings.TrimPrefix(path, ".")}
	}
	return nil
}

// find walks a decoded JSON value and returns the path of the first string,
// number or key that contains a sensitive value.
func (g *Guard) find(v any, path string) (string, bool) {
	switch v := v.(type) {
	case string:
		return path, g.contains(v)
	case json.Number:
		return path, g.contains(v.String())
	case []any:
		for i, e := range v {
			if p, ok := g.find(e, path+"["+strconv.Itoa(i)+"]"); ok {
				return p, true
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if g.contains(k) {
				return path + " (a key)", true
			}
			sub := path + "." + k
			if strings.ContainsAny(k, ".[]\" ") {
				sub = path + "[" + strconv.Quote(k) + "]"
			}
			if p, ok := g.find(v[k], sub); ok {
				return p, true
			}
		}
	}
	return "", false
}

func (g *Guard) contains(s string) bool {
	for _, secret := range g.secrets {
		if strings.Contains(s, secret) {
			return true
		}
	}
	return false
}
