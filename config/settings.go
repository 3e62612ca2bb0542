package config

import (
	"regexp"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
)

var settingsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "required_version"}, {Name: "publisher"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "state", LabelNames: []string{"type"}}},
}

// stateSettings lists the attributes of each state backend and which of
// them are sensitive.
var stateSettings = map[string]map[string]bool{
	"local": {"path": false},
	"pg":    {"conn": true, "workspace": false, "schema": false},
}

var publisherName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

func (l *loader) decodeSettings() {
	blocks := l.blocks["dwctl"]
	for _, b := range blocks[min(1, len(blocks)):] {
		l.errorf(b.DefRange, "Duplicate dwctl block", "A configuration has one dwctl block; the first is at %s.", blocks[0].DefRange)
	}
	if len(blocks) == 0 {
		return
	}
	b := blocks[0]
	st := &Settings{DeclRange: b.DefRange}
	l.cfg.Settings = st
	content, diags := b.Body.Content(settingsSchema)
	l.diags = append(l.diags, diags...)
	s := l.scope(nil)
	if a, ok := content.Attributes["required_version"]; ok {
		if v, ok := s.str(a); ok {
			st.RequiredVersion = v
			l.checkRequiredVersion(v, a.Expr.Range())
		}
	}
	if a, ok := content.Attributes["publisher"]; ok {
		st.Publisher, _ = l.matching(s, a, publisherName, "a publisher name (letters, digits and underscores, starting with a letter)")
	}
	for i, sb := range content.Blocks {
		if i > 0 {
			l.errorf(sb.DefRange, "Duplicate state block", "The dwctl block has one state block.")
			continue
		}
		st.State = l.decodeStateBackend(sb, s)
	}
}

func (l *loader) decodeStateBackend(b *hcl.Block, s *scope) *StateBackend {
	allowed, ok := stateSettings[b.Labels[0]]
	if !ok {
		l.errorf(b.LabelRanges[0], "Unknown state backend", "%q is not a state backend; use \"local\" or \"pg\".", b.Labels[0])
		return nil
	}
	sb := &StateBackend{Type: b.Labels[0], Settings: map[string]string{}, Secrets: map[string]Secret{}, DeclRange: b.DefRange}
	attrs, diags := b.Body.JustAttributes()
	l.diags = append(l.diags, diags...)
	for _, a := range sortedAttributes(attrs) {
		sensitive, known := allowed[a.Name]
		if !known {
			l.errorf(a.NameRange, "Unsupported argument", "The %s state backend has no argument %q; it takes %s.", sb.Type, a.Name, quoteList(mapKeys(allowed)))
			continue
		}
		v, ok := s.str(a)
		if !ok {
			continue
		}
		if sensitive {
			sb.Secrets[a.Name] = NewSecret(v)
			l.cfg.secrets = append(l.cfg.secrets, v)
		} else {
			sb.Settings[a.Name] = v
		}
	}
	return sb
}

// checkRequiredVersion checks constraints such as ">= 0.1, < 2" (go-version's
// syntax, as Terraform's required_version) against the running version, when
// the caller gave one. A pre-release build is checked as its release.
func (l *loader) checkRequiredVersion(constraint string, rng hcl.Range) {
	cs, err := version.NewConstraint(constraint)
	if err != nil {
		l.errorf(rng, "Invalid required_version", "%q is not a version constraint such as \">= 0.1, < 2\": %v.", constraint, err)
		return
	}
	if l.version == "" {
		return
	}
	have, err := version.NewVersion(l.version)
	if err != nil {
		return // a development build names no version to check
	}
	if !cs.Check(have.Core()) {
		l.errorf(rng, "Unsupported dwctl version",
			"This configuration requires dwctl %s, but this is dwctl %s. Install a matching version.", constraint, l.version)
	}
}
