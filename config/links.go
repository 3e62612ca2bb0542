package config

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var linkSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "finops", Required: true}, {Name: "dataverse", Required: true}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "control"}, {Type: "alert", LabelNames: []string{"name"}}, {Type: "lifecycle"},
	},
}

var controlSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "gateway", Required: true}, {Name: "unverified_calls"}, {Name: "legal_entities_by_reset"}}}

var lifecycleSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "prevent_destroy"}}}

var alertSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "errors", Required: true}, {Name: "threshold", Required: true},
		{Name: "action", Required: true}, {Name: "recipients"},
	},
}

// AlertErrorKinds are the error categories an alert can watch.
var AlertErrorKinds = []string{"application", "network"}

func (l *loader) decodeLinks() {
	for _, b := range l.blocks["link"] {
		name := b.Labels[0]
		if !l.checkName(b, 0, "link") {
			continue
		}
		if prev, ok := l.cfg.Links[name]; ok {
			l.errorf(b.DefRange, "Duplicate link", "A link %q was already declared at %s.", name, prev.DeclRange)
			continue
		}
		lk := &Link{Name: name, DeclRange: b.DefRange}
		l.cfg.Links[name] = lk
		content, diags := b.Body.Content(linkSchema)
		l.diags = append(l.diags, diags...)
		lk.FinOps = l.linkEnvironment(content.Attributes["finops"], FinOps)
		lk.Dataverse = l.linkEnvironment(content.Attributes["dataverse"], Dataverse)
		l.decodeLinkBlocks(lk, content.Blocks)
	}
}

func (l *loader) decodeLinkBlocks(lk *Link, blocks hcl.Blocks) {
	s := l.scope(nil)
	seen := map[string]bool{}
	for _, b := range blocks {
		switch b.Type {
		case "control":
			content, diags := b.Body.Content(controlSchema)
			l.diags = append(l.diags, diags...)
			if a, ok := content.Attributes["gateway"]; ok {
				if g, ok := s.str(a); ok {
					lk.Gateway, _ = l.checkURL(g, a.Expr.Range())
				}
			}
			if a, ok := content.Attributes["unverified_calls"]; ok {
				lk.UnverifiedCalls, _ = s.boolean(a)
			}
			if a, ok := content.Attributes["legal_entities_by_reset"]; ok {
				lk.LegalEntitiesByReset, _ = s.boolean(a)
			}
		case "lifecycle":
			content, diags := b.Body.Content(lifecycleSchema)
			l.diags = append(l.diags, diags...)
			if a, ok := content.Attributes["prevent_destroy"]; ok {
				lk.PreventDestroy, _ = s.boolean(a)
			}
		case "alert":
			if seen[b.Labels[0]] {
				l.errorf(b.DefRange, "Duplicate alert", "The link already has an alert %q.", b.Labels[0])
				continue
			}
			seen[b.Labels[0]] = true
			if al := l.decodeAlert(b, s.at(fmt.Sprintf("alert[%d]/", len(lk.Alerts)))); al != nil {
				lk.Alerts = append(lk.Alerts, al)
			}
		}
	}
	lk.Sensitive = s.sensitivePaths()
}

func (l *loader) linkEnvironment(attr *hcl.Attribute, kind EnvironmentKind) *Environment {
	if attr == nil {
		return nil
	}
	r, ok := l.reference(attr, "environment")
	if !ok {
		return nil
	}
	env := l.cfg.Environments[r.name]
	switch {
	case env == nil:
		l.undeclared(r, mapKeys(l.cfg.Environments))
	case env.Kind != kind:
		l.errorf(attr.Expr.Range(), "Wrong environment kind",
			"%s = %s refers to a %s environment; %s needs an environment declared as environment \"%s\" \"NAME\".", attr.Name, r, env.Kind, attr.Name, kind)
		return nil
	}
	return env
}

func (l *loader) decodeAlert(b *hcl.Block, s *scope) *Alert {
	al := &Alert{Name: b.Labels[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(alertSchema)
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return nil
	}
	if errs, ok := s.strs(content.Attributes["errors"]); ok {
		for _, e := range errs {
			if !contains(AlertErrorKinds, e) {
				l.errorf(content.Attributes["errors"].Expr.Range(), "Invalid value for errors",
					"%q is not an error kind; use %s.", e, quoteList(AlertErrorKinds))
			}
		}
		al.Errors = errs
	}
	al.Action, _ = s.oneOf(content.Attributes["action"], "pause", "stop")
	if a, ok := content.Attributes["recipients"]; ok {
		al.Recipients, _ = s.strs(a)
	}
	l.decodeThreshold(al, content.Attributes["threshold"], s)
	return al
}

// decodeThreshold reads threshold = { count = N, within = "15m" }.
func (l *loader) decodeThreshold(al *Alert, attr *hcl.Attribute, s *scope) {
	v, ok := s.value(attr, thresholdType)
	if !ok {
		return
	}
	count, _ := v.GetAttr("count").AsBigFloat().Int64()
	if !v.GetAttr("count").AsBigFloat().IsInt() || count < 1 {
		l.errorf(attr.Expr.Range(), "Invalid alert threshold", "threshold.count must be a whole number of at least 1.")
		return
	}
	within, err := time.ParseDuration(v.GetAttr("within").AsString())
	if err != nil || within <= 0 {
		l.errorf(attr.Expr.Range(), "Invalid alert threshold",
			"threshold.within must be a positive duration such as \"15m\" or \"1h\"; %q is not.", v.GetAttr("within").AsString())
		return
	}
	al.Count, al.Within = int(count), within
}

func contains(xs []string, x string) bool {
	for _, e := range xs {
		if e == x {
			return true
		}
	}
	return false
}

var thresholdType = cty.Object(map[string]cty.Type{"count": cty.Number, "within": cty.String})
