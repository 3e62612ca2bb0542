package state

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// migrations[v] turns a format v document into a format v+1 document. Each
// step works on the raw JSON so it never depends on the current Go types:
// when the format changes, the old step stays as written and a new one is
// appended.
var migrations = []func([]byte) ([]byte, error){
	0: migrate0to1,
}

// stateV0 is format 0, the layout of development builds before format 1:
// objects were a list of "resources" with their fingerprint named "hash",
// and data operations kept only a cursor.
type stateV0 struct {
	Version   int    `json:"version"`
	Lineage   string `json:"lineage"`
	Serial    uint64 `json:"serial"`
	Resources []struct {
		Address    string            `json:"address"`
		Identity   map[string]string `json:"identity"`
		Hash       string            `json:"hash"`
		Attributes json.RawMessage   `json:"attributes"`
	} `json:"resources"`
	SyncCursors map[string]string `json:"sync_cursors"`
}

// migrate0to1 moves resources into the objects map by address and turns
// each sync cursor into a checkpoint without counts.
func migrate0to1(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var old stateV0
	if err := dec.Decode(&old); err != nil {
		return nil, err
	}
	objects := make(map[string]map[string]any, len(old.Resources))
	for _, r := range old.Resources {
		if _, dup := objects[r.Address]; dup {
			return nil, fmt.Errorf("resource %s appears twice", r.Address)
		}
		o := map[string]any{"identity": r.Identity, "fingerprint": r.Hash}
		if len(r.Attributes) > 0 {
			o["attributes"] = r.Attributes
		}
		objects[r.Address] = o
	}
	checkpoints := make(map[string]map[string]any, len(old.SyncCursors))
	for addr, cursor := range old.SyncCursors {
		checkpoints[addr] = map[string]any{"cursor": cursor, "updated": "0001-01-01T00:00:00Z"}
	}
	return json.Marshal(map[string]any{
		"format_version": 1,
		"lineage":        old.Lineage,
		"serial":         old.Serial,
		"objects":        objects,
		"checkpoints":    checkpoints,
	})
}
