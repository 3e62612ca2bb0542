package state

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

const fixedLineage = "9d4e2a6c-1b7f-4c3e-9a55-0e6f2b8d7c11"

func TestEncodeGolden(t *testing.T) {
	s := sampleState()
	s.Lineage = fixedLineage
	s.Serial = 12
	got, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "state-v1.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("Encode (-golden +got):\n%s", diff)
	}
	back, err := Decode(got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, back); diff != "" {
		t.Errorf("Decode(Encode(s)) (-s +got):\n%s", diff)
	}
}

// TestDecodeMigratesV0 reads a format 0 document and checks it arrives as
// the same state in the current format.
func TestDecodeMigratesV0(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "state-v0.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	want := sampleState()
	want.Lineage = fixedLineage
	want.Serial = 12
	want.Checkpoints["initial_sync.table_map.customers"] = Checkpoint{Cursor: "skiptoken=3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("migrated state (-want +got):\n%s", diff)
	}
	if got.FormatVersion != FormatVersion {
		t.Errorf("format version %d after migration, want %d", got.FormatVersion, FormatVersion)
	}
}

func TestDecodeErrors(t *testing.T) {
	valid := `"lineage": "` + fixedLineage + `", "serial": 1, "objects": {}, "checkpoints": {}`
	tests := map[string]struct {
		doc  string
		want string // part of the error
	}{
		"not JSON":          {`state`, "not a JSON object"},
		"JSON array":        {`[]`, "not a JSON object"},
		"no version":        {`{` + valid + `}`, "not a dwctl state document"},
		"version zero":      {`{"format_version": 0, ` + valid + `}`, "not a dwctl state document"},
		"newer format":      {`{"format_version": 2, ` + valid + `}`, "upgrade dwctl"},
		"unknown field":     {`{"format_version": 1, "extra": 1, ` + valid + `}`, `unknown field "extra"`},
		"trailing data":     {`{"format_version": 1, ` + valid + `} {}`, "after top-level value"},
		"bad lineage":       {`{"format_version": 1, "lineage": "x", "serial": 1}`, "not a UUID"},
		"bad address":       {`{"format_version": 1, ` + valid[:strings.Index(valid, `"objects"`)] + `"objects": {"USMF": {}}}`, `invalid address "USMF"`},
		"bad checkpoint":    {`{"format_version": 1, ` + valid[:strings.Index(valid, `"objects"`)] + `"checkpoints": {"x y": {}}}`, `invalid address "x y"`},
		"v0 duplicate":      {`{"version": 0, "lineage": "` + fixedLineage + `", "resources": [{"address": "a.b"}, {"address": "a.b"}]}`, "appears twice"},
		"v0 unknown field":  {`{"version": 0, "lineage": "` + fixedLineage + `", "outputs": {}}`, `unknown field "outputs"`},
		"negative serial":   {`{"format_version": 1, "lineage": "` + fixedLineage + `", "serial": -1}`, "decoding state"},
		"attributes string": {`{"format_version": 1, ` + valid[:strings.Index(valid, `"objects"`)] + `"objects": {"a.b": {"attributes": "x"}}}`, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Decode([]byte(tc.doc))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Decode = %v, want success", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Decode = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestEncodeRefusesInvalid(t *testing.T) {
	tests := map[string]func(s *State){
		"bad address":    func(s *State) { s.SetObject("USMF", Object{}) },
		"bad lineage":    func(s *State) { s.Lineage = "" },
		"old format":     func(s *State) { s.FormatVersion = 0 },
		"bad attributes": func(s *State) { s.SetObject("a.b", Object{Attributes: json.RawMessage(`{`)}) },
	}
	for name, spoil := range tests {
		t.Run(name, func(t *testing.T) {
			s := sampleState()
			spoil(s)
			if _, err := Encode(s); err == nil {
				t.Fatal("Encode of an invalid state succeeded")
			}
		})
	}
}

func TestValidateAddress(t *testing.T) {
	tests := map[string]bool{
		"table_map.customers":              true,
		"company.USMF":                     true,
		"initial_sync.table_map.customers": true,
		"number_sequence.customer_account": true,
		"USMF":                             false,
		"":                                 false,
		"company.":                         false,
		".USMF":                            false,
		"Company.USMF":                     false,
		"company.US MF":                    false,
	}
	for addr, valid := range tests {
		t.Run(addr, func(t *testing.T) {
			if err := ValidateAddress(addr); (err == nil) != valid {
				t.Errorf("ValidateAddress(%q) = %v, want valid %v", addr, err, valid)
			}
		})
	}
}

func TestCloneIsDeep(t *testing.T) {
	s := sampleState()
	c := s.Clone()
	c.Objects["company.USMF"].Identity["company"] = "DEMF"
	c.Objects["company.USMF"].Attributes[2] = 'X'
	c.Checkpoints["initial_sync.table_map.customers"].Counts["created"] = 0
	c.SetObject("company.DEMF", Object{})
	if diff := cmp.Diff(sampleState().Objects, s.Objects); diff != "" {
		t.Errorf("changing the clone changed the original objects:\n%s", diff)
	}
	if got := s.Checkpoints["initial_sync.table_map.customers"].Counts["created"]; got != 1200 {
		t.Errorf("changing the clone changed the original counts to %d", got)
	}
}

func TestStateAccessors(t *testing.T) {
	var s State
	s.SetObject("company.USMF", Object{Fingerprint: "f"})
	s.SetObject("company.DEMF", Object{Fingerprint: "g"})
	s.SetCheckpoint("bootstrap.company.USMF", Checkpoint{Cursor: "c", Updated: time.Unix(0, 0)})
	if diff := cmp.Diff([]string{"company.DEMF", "company.USMF"}, s.Addresses()); diff != "" {
		t.Errorf("Addresses (-want +got):\n%s", diff)
	}
	if o, ok := s.Object("company.USMF"); !ok || o.Fingerprint != "f" {
		t.Errorf("Object = %+v, %v", o, ok)
	}
	if !s.RemoveObject("company.USMF") || s.RemoveObject("company.USMF") {
		t.Error("RemoveObject should report true once, then false")
	}
	if c, ok := s.Checkpoint("bootstrap.company.USMF"); !ok || c.Cursor != "c" {
		t.Errorf("Checkpoint = %+v, %v", c, ok)
	}
	s.ClearCheckpoint("bootstrap.company.USMF")
	if _, ok := s.Checkpoint("bootstrap.company.USMF"); ok {
		t.Error("checkpoint still there after ClearCheckpoint")
	}
}

// FuzzDecode checks Decode never panics and that whatever it accepts
// encodes and decodes again to the same state.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"state-v0.json", "state-v1.golden.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format_version": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode(data)
		if err != nil {
			return
		}
		out, err := Encode(s)
		if err != nil {
			t.Fatalf("Encode of a decoded state: %v", err)
		}
		again, err := Decode(out)
		if err != nil {
			t.Fatalf("Decode of an encoded state: %v", err)
		}
		if !bytes.Equal(out, must(Encode(again))) {
			t.Fatalf("encoding is not stable:\n%s", out)
		}
	})
}

func must(data []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return data
}
