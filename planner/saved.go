package planner

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/state"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// SavedFormatVersion is the version of the saved-plan file. Read refuses
// other versions: a plan is applied by the dwctl that can read it.
const SavedFormatVersion = 1

// Saved is a plan written by plan -out=FILE: the plan with everything
// apply needs to check it is still valid, and never a secret.
type Saved struct {
	FormatVersion int `json:"format_version"`
	// DwctlVersion is the version of dwctl that made the plan.
	DwctlVersion string `json:"dwctl_version"`
	Plan         *Plan  `json:"plan"`
	// Config is a snapshot of the configuration files (*.dw.hcl) by name.
	Config map[string]string `json:"config"`
	// Variables are the non-sensitive variable values as JSON; Sensitive
	// names the sensitive variables, whose values apply must be given again.
	Variables map[string]json.RawMessage `json:"variables"`
	Sensitive []string                   `json:"sensitive_variables"`
	// Lineage and Serial identify the state the plan was made from.
	Lineage string `json:"state_lineage"`
	Serial  uint64 `json:"state_serial"`
	// Digest is the SHA-256 of the file's content with Digest empty, as
	// dwctl wrote it: show and apply refuse a file whose content no longer
	// matches, so an edit cannot go unnoticed. It detects edits; it is not a
	// signature.
	Digest string `json:"digest"`
}

// NewSaved captures p with the configuration and state it was made from.
func NewSaved(p *Plan, cfg *config.Config, st *state.State, version string) (*Saved, error) {
	s := &Saved{FormatVersion: SavedFormatVersion, DwctlVersion: version, Plan: p,
		Config: map[string]string{}, Variables: map[string]json.RawMessage{}, Sensitive: []string{}}
	if st != nil {
		s.Lineage, s.Serial = st.Lineage, st.Serial
	}
	secrets := cfg.SensitiveValues()
	for name, src := range cfg.Sources {
		if strings.HasSuffix(name, ".dw.hcl") {
			s.Config[filepath.ToSlash(name)] = redact(string(src), secrets)
		}
	}
	for _, name := range sortedKeys(cfg.Variables) {
		v := cfg.Variables[name]
		if v.Sensitive {
			s.Sensitive = append(s.Sensitive, name)
			continue
		}
		if v.Value == cty.NilVal || v.Value.IsNull() || !v.Value.IsWhollyKnown() {
			continue
		}
		b, err := ctyjson.Marshal(v.Value, v.Value.Type())
		if err != nil {
			return nil, fmt.Errorf("variable %s: %w", name, err)
		}
		s.Variables[name] = b
	}
	return s, nil
}

// redact replaces every sensitive value in a configuration file (a literal
// client_secret, say) with a marker.
func redact(src string, secrets []string) string {
	for _, sv := range secrets {
		src = strings.ReplaceAll(src, sv, "(sensitive)")
	}
	return src
}

// encode writes s in the one layout dwctl writes and digests.
func (s *Saved) encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// digest is the SHA-256 of s encoded with an empty Digest.
func (s *Saved) digest() (string, error) {
	c := *s
	c.Digest = ""
	data, err := c.encode()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// Write writes s as JSON with its digest and refuses to write anything that
// contains one of secrets.
func (s *Saved) Write(w io.Writer, secrets []string) error {
	if s.Plan != nil && s.Plan.Actions == nil {
		s.Plan.Actions = []*Action{}
	}
	d, err := s.digest()
	if err != nil {
		return err
	}
	s.Digest = d
	data, err := s.encode()
	if err != nil {
		return err
	}
	for _, sv := range secrets {
		if sv != "" && bytes.Contains(data, []byte(sv)) {
			return errors.New("the saved plan would contain a sensitive value; it was not written")
		}
	}
	_, err = w.Write(data)
	return err
}

// ReadSaved reads a saved plan, refusing other format versions and
// documents that are not plans.
func ReadSaved(r io.Reader) (*Saved, error) {
	dec := json.NewDecoder(io.LimitReader(r, 256<<20))
	dec.DisallowUnknownFields()
	var s Saved
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("not a dwctl saved plan: %w", err)
	}
	switch {
	case s.FormatVersion != SavedFormatVersion:
		return nil, fmt.Errorf("saved plan format %d; this dwctl reads format %d: make the plan again with this version", s.FormatVersion, SavedFormatVersion)
	case s.Plan == nil:
		return nil, errors.New("not a dwctl saved plan: no plan")
	case s.Plan.Actions == nil:
		return nil, errors.New("the saved plan is damaged: it has no list of actions")
	}
	if err := s.Plan.check(); err != nil {
		return nil, fmt.Errorf("saved plan is damaged: %w", err)
	}
	want, err := s.digest()
	if err != nil {
		return nil, err
	}
	if s.Digest != want {
		return nil, errors.New("the saved plan was changed after dwctl wrote it (its digest does not match its content); " +
			"a saved plan is applied exactly as it was reviewed: make a new plan instead of editing one")
	}
	return &s, nil
}

// check verifies what an applier relies on: unique action IDs and
// dependencies on earlier actions only.
func (p *Plan) check() error {
	seen := map[string]bool{}
	for i, a := range p.Actions {
		if a == nil {
			return fmt.Errorf("action %d is empty", i)
		}
		if seen[a.ID] {
			return fmt.Errorf("action %s appears twice", a.ID)
		}
		for _, d := range a.DependsOn {
			if !seen[d] {
				return fmt.Errorf("action %s depends on %s, which does not come before it", a.ID, d)
			}
		}
		seen[a.ID] = true
	}
	return nil
}

// StaleError says why a saved plan can no longer be applied.
type StaleError struct {
	Reasons []string
}

func (e *StaleError) Error() string {
	return "the saved plan is stale: " + strings.Join(e.Reasons, "; ") + ". Make a new plan."
}

// Stale checks a saved plan against the state and the pair as they are
// now. It refuses the plan when the state moved on (another lineage or
// serial) or when an object the plan touches changed since it was read;
// changes to objects the plan does not touch are accepted. lives must
// hold the snapshot of every pair the plan touches.
func Stale(s *Saved, st *state.State, lives map[string]*Live) error {
	var reasons []string
	lineage, serial := "", uint64(0)
	if st != nil {
		lineage, serial = st.Lineage, st.Serial
	}
	switch {
	case s.Lineage != "" && lineage != s.Lineage:
		reasons = append(reasons, fmt.Sprintf("the state is another one (lineage %s, the plan was made from %s)", lineage, s.Lineage))
	case serial != s.Serial:
		reasons = append(reasons, fmt.Sprintf("the state changed since the plan was made (serial %d, the plan was made at %d)", serial, s.Serial))
	}
	now := Fingerprints(s.Plan, lives, st)
	var touched []string
	for _, a := range s.Plan.Actions {
		if addr := addrs.ObjectOf(a.Address); !slices.Contains(touched, addr) {
			touched = append(touched, addr)
		}
	}
	for _, addr := range touched {
		before, after := s.Plan.Fingerprints[addr], now[addr]
		switch {
		case before == after:
		case after == "":
			reasons = append(reasons, addr+" no longer exists")
		case before == "":
			reasons = append(reasons, addr+" was created meanwhile")
		default:
			reasons = append(reasons, addr+" changed since the plan was made")
		}
	}
	if len(reasons) > 0 {
		return &StaleError{Reasons: reasons}
	}
	return nil
}
