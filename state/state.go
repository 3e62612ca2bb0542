package state

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"time"

	"github.com/google/uuid"
)

// FormatVersion is the version of the state document this package writes.
// Older documents are migrated on read (see Decode); newer ones are refused.
const FormatVersion = 1

// State is what dwctl knows it manages in one pair of environments.
//
// Serial counts the writes of one lineage: a backend stores a state only if
// the serial it was based on is still the stored one, so two writers can
// never silently overwrite each other. The apply journal is kept beside the
// state by the backend (see Backend.AppendJournal), not in this document.
type State struct {
	FormatVersion int    `json:"format_version"`
	Lineage       string `json:"lineage"`
	Serial        uint64 `json:"serial"`
	// Objects are the managed objects by address (e.g. "table_map.customers").
	Objects map[string]Object `json:"objects"`
	// Checkpoints are the progress of data operations by operation address
	// (e.g. "initial_sync.table_map.customers"), kept so a run can resume.
	Checkpoints map[string]Checkpoint `json:"checkpoints"`
}

// Object is one managed object as it was last applied.
type Object struct {
	// Identity is the object's natural identity (company id, table names,
	// environment URLs), never a random id.
	Identity map[string]string `json:"identity"`
	// Fingerprint is the fingerprint of the live object after the last apply.
	Fingerprint string `json:"fingerprint"`
	// Attributes are the attributes last applied, as the planner encoded them.
	Attributes json.RawMessage `json:"attributes,omitempty"`
}

// Checkpoint is the progress of one data operation.
type Checkpoint struct {
	// Cursor is opaque to this package: the data operation's resume point.
	Cursor string `json:"cursor"`
	// Counts are running totals by name (e.g. "created", "updated").
	Counts  map[string]int64 `json:"counts,omitempty"`
	Updated time.Time        `json:"updated"`
	// Error is set when the operation's last run failed: the next plan
	// plans it again (its object is in state, running without its data).
	Error string `json:"error,omitempty"`
}

// New returns an empty state with a fresh lineage and serial 0: the state a
// first Put stores as serial 1.
func New() *State {
	return &State{
		FormatVersion: FormatVersion,
		Lineage:       uuid.NewString(),
		Objects:       map[string]Object{},
		Checkpoints:   map[string]Checkpoint{},
	}
}

var addressPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*\.[^\s]+$`)

// ValidateAddress reports whether addr has the form KIND.NAME, such as
// "company.USMF" or "initial_sync.table_map.customers".
func ValidateAddress(addr string) error {
	if !addressPattern.MatchString(addr) {
		return fmt.Errorf("invalid address %q: want KIND.NAME, e.g. table_map.customers", addr)
	}
	return nil
}

// Object returns the managed object at addr.
func (s *State) Object(addr string) (Object, bool) {
	o, ok := s.Objects[addr]
	return o, ok
}

// SetObject records the object at addr, replacing any previous record.
func (s *State) SetObject(addr string, o Object) {
	if s.Objects == nil {
		s.Objects = map[string]Object{}
	}
	s.Objects[addr] = o
}

// RemoveObject forgets the object at addr and reports whether it was there.
func (s *State) RemoveObject(addr string) bool {
	_, ok := s.Objects[addr]
	delete(s.Objects, addr)
	return ok
}

// Addresses returns the addresses of the managed objects in sorted order.
func (s *State) Addresses() []string {
	return slices.Sorted(maps.Keys(s.Objects))
}

// Checkpoint returns the checkpoint of the data operation at addr.
func (s *State) Checkpoint(addr string) (Checkpoint, bool) {
	c, ok := s.Checkpoints[addr]
	return c, ok
}

// SetCheckpoint records the progress of the data operation at addr.
func (s *State) SetCheckpoint(addr string, c Checkpoint) {
	if s.Checkpoints == nil {
		s.Checkpoints = map[string]Checkpoint{}
	}
	s.Checkpoints[addr] = c
}

// ClearCheckpoint forgets the checkpoint at addr, once its operation is done.
func (s *State) ClearCheckpoint(addr string) {
	delete(s.Checkpoints, addr)
}

// Clone returns a deep copy of s, so a caller can keep writing to one copy
// while another is being stored.
func (s *State) Clone() *State {
	c := *s
	c.Objects = make(map[string]Object, len(s.Objects))
	for addr, o := range s.Objects {
		o.Identity = maps.Clone(o.Identity)
		o.Attributes = slices.Clone(o.Attributes)
		c.Objects[addr] = o
	}
	c.Checkpoints = make(map[string]Checkpoint, len(s.Checkpoints))
	for addr, cp := range s.Checkpoints {
		cp.Counts = maps.Clone(cp.Counts)
		c.Checkpoints[addr] = cp
	}
	return &c
}

// validate checks what every stored state must satisfy.
func (s *State) validate() error {
	if s.FormatVersion != FormatVersion {
		return fmt.Errorf("state format version %d, want %d", s.FormatVersion, FormatVersion)
	}
	if _, err := uuid.Parse(s.Lineage); err != nil {
		return fmt.Errorf("state lineage %q is not a UUID", s.Lineage)
	}
	for _, addr := range s.Addresses() {
		if err := ValidateAddress(addr); err != nil {
			return fmt.Errorf("object %w", err)
		}
		if a := s.Objects[addr].Attributes; len(a) > 0 && !json.Valid(a) {
			return fmt.Errorf("object %s: attributes are not valid JSON", addr)
		}
	}
	for addr := range s.Checkpoints {
		if err := ValidateAddress(addr); err != nil {
			return fmt.Errorf("checkpoint %w", err)
		}
	}
	return nil
}
