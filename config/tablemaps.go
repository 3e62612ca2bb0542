package config

import (
	"fmt"
	"regexp"

	"github.com/dwctl/dwctl/addrs"
	"github.com/hashicorp/hcl/v2"
)

var tableMapSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "for_each"}, {Name: "link"}, {Name: "finops", Required: true}, {Name: "dataverse", Required: true},
		{Name: "version"}, {Name: "state"}, {Name: "depends_on"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "initial_sync"}, {Type: "filter"},
		{Type: "field", LabelNames: []string{"finops", "dataverse"}},
	},
}

var initialSyncSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "enabled"}, {Name: "master"}, {Name: "mode"}},
}

var filterSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "finops"}, {Name: "dataverse"}},
}

var (
	// entityName is an F&O public collection name or field name.
	entityName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// entitySetName is a Dataverse entity set name.
	entitySetName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// lookupPath is a Dataverse column, a lookup path through the target's
	// key column, or a published polymorphic path such as
	// customerid.Account(accountnumber).Contact(msdyn_contactpersonid).
	lookupPath = regexp.MustCompile(`^[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*(\([a-z_][a-z0-9_]*(,[a-z_][a-z0-9_]*)*\))?)*$`)
	// mapVersion is a 4-part map version.
	mapVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)
)

func (l *loader) decodeTableMaps() {
	for _, b := range l.blocks["table_map"] {
		if !l.checkName(b, 0, "table map") {
			continue
		}
		for _, in := range l.instances(b) {
			l.decodeTableMap(b, in)
		}
	}
}

func (l *loader) decodeTableMap(b *hcl.Block, in instance) {
	m := &TableMap{Address: address(addrs.TableMap, b.Labels[0], in.each), Name: b.Labels[0], State: Running, DeclRange: b.DefRange}
	if prev, ok := l.cfg.TableMaps[m.Address]; ok {
		l.errorf(b.DefRange, "Duplicate table map", "%s was already declared at %s.", m.Address, prev.DeclRange)
		return
	}
	l.cfg.TableMaps[m.Address] = m
	content, diags := in.body.Content(tableMapSchema)
	l.diags = append(l.diags, diags...)
	s := in.scope
	m.Link = l.linkRef(content, b.DefRange)
	if a, ok := content.Attributes["finops"]; ok {
		m.FinOps, _ = l.matching(s, a, entityName, "an F&O public collection name such as CustomersV3")
	}
	if a, ok := content.Attributes["dataverse"]; ok {
		m.Dataverse, _ = l.matching(s, a, entitySetName, "a Dataverse entity set name such as accounts")
	}
	if a, ok := content.Attributes["version"]; ok {
		m.Version, _ = l.matching(s, a, mapVersion, "a 4-part map version such as 1.0.0.12")
	}
	if a, ok := content.Attributes["state"]; ok {
		st, _ := s.oneOf(a, string(Running), string(Paused), string(Stopped))
		m.State = MapState(st)
	}
	l.mapDependsOn(m, content.Attributes["depends_on"])
	l.decodeMapBlocks(m, content.Blocks, s)
	m.Sensitive = s.sensitivePaths()
}

// matching evaluates a string attribute that must match re.
func (l *loader) matching(s *scope, a *hcl.Attribute, re *regexp.Regexp, what string) (string, bool) {
	v, ok := s.str(a)
	if !ok {
		return "", false
	}
	if !re.MatchString(v) {
		l.errorf(a.Expr.Range(), "Invalid value for "+a.Name, "%q is not %s.", v, what)
		return v, false
	}
	return v, true
}

// mapDependsOn records depends_on references; they are resolved once every
// map is known.
func (l *loader) mapDependsOn(m *TableMap, attr *hcl.Attribute) {
	if attr == nil {
		return
	}
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		l.errorf(attr.Expr.Range(), "Invalid depends_on", "depends_on is a list of table map references, such as [table_map.customer_groups].")
		return
	}
	for _, e := range exprs {
		if r, ok := l.referenceExpr(e, "Each depends_on entry", "table_map"); ok {
			l.pendingDeps = append(l.pendingDeps, pendingDep{from: m, to: r})
		}
	}
}

// pendingDep is a depends_on reference waiting for every map to be decoded.
type pendingDep struct {
	from *TableMap
	to   ref
}

func (l *loader) decodeMapBlocks(m *TableMap, blocks hcl.Blocks, s *scope) {
	for _, b := range blocks {
		switch b.Type {
		case "initial_sync":
			if m.InitialSync != nil {
				l.errorf(b.DefRange, "Duplicate initial_sync block", "A table map has at most one initial_sync block.")
				continue
			}
			m.InitialSync = l.decodeInitialSync(b, s)
		case "filter":
			if m.Filter != nil {
				l.errorf(b.DefRange, "Duplicate filter block", "A table map has at most one filter block, with a finops and a dataverse expression.")
				continue
			}
			m.Filter = l.decodeFilter(b, s.at("filter/"))
		case "field":
			if f := l.decodeField(b, s.at(fmt.Sprintf("field[%d]/", len(m.Fields)))); f != nil {
				m.Fields = append(m.Fields, f)
			}
		}
	}
}

func (l *loader) decodeInitialSync(b *hcl.Block, s *scope) *InitialSync {
	is := &InitialSync{Enabled: true, Master: "dataverse", Mode: "service", DeclRange: b.DefRange}
	content, diags := b.Body.Content(initialSyncSchema)
	l.diags = append(l.diags, diags...)
	if a, ok := content.Attributes["enabled"]; ok {
		is.Enabled, _ = s.boolean(a)
	}
	if a, ok := content.Attributes["master"]; ok {
		is.Master, _ = s.oneOf(a, "finops", "dataverse")
	}
	if a, ok := content.Attributes["mode"]; ok {
		is.Mode, _ = s.oneOf(a, "service", "dwctl")
	}
	return is
}

func (l *loader) decodeFilter(b *hcl.Block, s *scope) *Filter {
	f := &Filter{DeclRange: b.DefRange}
	content, diags := b.Body.Content(filterSchema)
	l.diags = append(l.diags, diags...)
	if a, ok := content.Attributes["finops"]; ok {
		f.FinOps, _ = s.text(a)
	}
	if a, ok := content.Attributes["dataverse"]; ok {
		f.Dataverse, _ = s.text(a)
	}
	return f
}
