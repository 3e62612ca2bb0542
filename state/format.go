package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Encode renders s as the state document: indented JSON ending in a newline,
// objects and checkpoints sorted by address. It refuses an invalid state.
func Encode(s *State) ([]byte, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	out := *s
	if out.Objects == nil {
		out.Objects = map[string]Object{}
	}
	if out.Checkpoints == nil {
		out.Checkpoints = map[string]Checkpoint{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&out); err != nil {
		return nil, fmt.Errorf("encoding state: %w", err)
	}
	return buf.Bytes(), nil
}

// Decode parses a state document of any known format version, migrating an
// older one to FormatVersion. Object attributes come back compacted.
func Decode(data []byte) (*State, error) {
	version, err := documentVersion(data)
	if err != nil {
		return nil, err
	}
	if version > FormatVersion {
		return nil, fmt.Errorf("state format version %d was written by a newer dwctl (this one reads up to %d); upgrade dwctl", version, FormatVersion)
	}
	for v := version; v < FormatVersion; v++ {
		if data, err = migrations[v](data); err != nil {
			return nil, fmt.Errorf("migrating state from format %d to %d: %w", v, v+1, err)
		}
	}
	s, err := decodeCurrent(data)
	if err != nil {
		return nil, err
	}
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("invalid state: %w", err)
	}
	return s, nil
}

// documentVersion finds the format version of a state document. Format 1
// and later carry "format_version"; format 0 carried "version": 0.
func documentVersion(data []byte) (int, error) {
	var head struct {
		FormatVersion *int `json:"format_version"`
		Version       *int `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return 0, fmt.Errorf("state is not a JSON object: %w", err)
	}
	switch {
	case head.FormatVersion != nil && *head.FormatVersion >= 1:
		return *head.FormatVersion, nil
	case head.FormatVersion == nil && head.Version != nil && *head.Version == 0:
		return 0, nil
	}
	return 0, errors.New("state has no valid format_version: not a dwctl state document")
}

func decodeCurrent(data []byte) (*State, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s State
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("decoding state: %w", err)
	}
	if s.Objects == nil {
		s.Objects = map[string]Object{}
	}
	if s.Checkpoints == nil {
		s.Checkpoints = map[string]Checkpoint{}
	}
	for addr, o := range s.Objects {
		if len(o.Attributes) == 0 {
			continue
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, o.Attributes); err != nil {
			return nil, fmt.Errorf("object %s: attributes: %w", addr, err)
		}
		o.Attributes = buf.Bytes()
		s.Objects[addr] = o
	}
	return &s, nil
}
