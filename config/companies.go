package config

import (
	"regexp"
	"strings"

	"github.com/dwctl/dwctl/addrs"
	"github.com/hashicorp/hcl/v2"
)

var companySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "for_each"}, {Name: "link"}, {Name: "name", Required: true},
		{Name: "owning_team"}, {Name: "initial_writes"}, {Name: "create_legal_entity"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "bootstrap"}},
}

var bootstrapSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "tables", Required: true}, {Name: "where"}},
}

var integrationKeySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "for_each"}, {Name: "link"}, {Name: "columns", Required: true}},
}

// companyID is an F&O legal entity id: 1 to 4 letters or digits.
var companyID = regexp.MustCompile(`^[A-Za-z0-9]{1,4}$`)

// logicalName is a Dataverse logical name.
var logicalName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// MaxIntegrationKeyColumns is the most columns a Dataverse alternate key may have.
const MaxIntegrationKeyColumns = 16

func (l *loader) decodeCompanies() {
	for _, b := range l.blocks["company"] {
		for _, in := range l.instances(b) {
			l.decodeCompany(b, in)
		}
	}
}

func (l *loader) decodeCompany(b *hcl.Block, in instance) {
	id, idRange := b.Labels[0], b.LabelRanges[0]
	if in.each != nil {
		id = in.each.key
	}
	if !companyID.MatchString(id) {
		l.errorf(idRange, "Invalid company id",
			"%q is not an F&O legal entity id: it must be 1 to 4 letters or digits, such as USMF or DAT.", id)
		return
	}
	c := &Company{
		Address: address(addrs.Company, b.Labels[0], in.each), ID: strings.ToUpper(id),
		InitialWrites: true, DeclRange: b.DefRange, IDRange: idRange,
	}
	if prev, ok := l.cfg.Companies[c.Address]; ok {
		l.errorf(b.DefRange, "Duplicate company", "%s was already declared at %s.", c.Address, prev.DeclRange)
		return
	}
	l.cfg.Companies[c.Address] = c
	content, diags := in.body.Content(companySchema)
	l.diags = append(l.diags, diags...)
	s := in.scope
	c.Link = l.linkRef(content, b.DefRange)
	if a, ok := content.Attributes["name"]; ok {
		if name, ok := s.str(a); ok {
			c.Name, c.NameRange = name, a.Expr.Range()
		}
	}
	if a, ok := content.Attributes["owning_team"]; ok {
		c.OwningTeam, _ = s.str(a)
	}
	if a, ok := content.Attributes["initial_writes"]; ok {
		c.InitialWrites, _ = s.boolean(a)
	}
	if a, ok := content.Attributes["create_legal_entity"]; ok {
		c.CreateLegalEntity, _ = s.boolean(a)
	}
	for _, bb := range content.Blocks {
		c.Bootstrap = l.mergeBootstrap(c.Bootstrap, l.decodeBootstrap(bb, s.at("bootstrap/")))
	}
	c.Sensitive = s.sensitivePaths()
}

// mergeBootstrap adds another bootstrap block of a company: each block's
// where applies to its own tables, and a table is in one block only.
func (l *loader) mergeBootstrap(into, b *Bootstrap) *Bootstrap {
	for _, t := range b.Tables {
		b.TableWhere[strings.ToLower(t)] = b.Where
	}
	b.WhereExprs = []*Text{b.WhereExpr}
	if into == nil {
		return b
	}
	for _, t := range b.Tables {
		if _, dup := into.TableWhere[strings.ToLower(t)]; dup {
			l.errorf(b.DeclRange, "Table bootstrapped twice", "%s is in two bootstrap blocks of this company; each table belongs to one block, whose where it uses.", t)
			continue
		}
		into.Tables = append(into.Tables, t)
		into.TableWhere[strings.ToLower(t)] = b.Where
	}
	into.WhereExprs = append(into.WhereExprs, b.WhereExpr)
	return into
}

func (l *loader) decodeBootstrap(b *hcl.Block, s *scope) *Bootstrap {
	bs := &Bootstrap{DeclRange: b.DefRange, TableWhere: map[string]string{}}
	content, diags := b.Body.Content(bootstrapSchema)
	l.diags = append(l.diags, diags...)
	if a, ok := content.Attributes["tables"]; ok {
		if tables, ok := s.strs(a); ok {
			for _, t := range tables {
				if !logicalName.MatchString(t) {
					l.errorf(a.Expr.Range(), "Invalid table name",
						"%q is not a Dataverse logical name; bootstrap.tables names tables by logical name, such as \"account\".", t)
				}
			}
			bs.Tables = tables
		}
	}
	if a, ok := content.Attributes["where"]; ok {
		if t, ok := s.text(a); ok {
			bs.Where, bs.WhereExpr = t.Value, t
		}
	}
	return bs
}

func (l *loader) decodeIntegrationKeys() {
	for _, b := range l.blocks["integration_key"] {
		for _, in := range l.instances(b) {
			l.decodeIntegrationKey(b, in)
		}
	}
}

func (l *loader) decodeIntegrationKey(b *hcl.Block, in instance) {
	table := b.Labels[0]
	if in.each != nil {
		table = in.each.key
	}
	if !logicalName.MatchString(table) {
		l.errorf(b.LabelRanges[0], "Invalid table name",
			"%q is not a Dataverse logical name; an integration key names its table by logical name, such as \"account\" (not the entity set name \"accounts\").", table)
		return
	}
	k := &IntegrationKey{Address: address(addrs.IntegrationKey, b.Labels[0], in.each), Table: table, DeclRange: b.DefRange}
	if prev, ok := l.cfg.IntegrationKeys[k.Address]; ok {
		l.errorf(b.DefRange, "Duplicate integration key", "%s was already declared at %s.", k.Address, prev.DeclRange)
		return
	}
	l.cfg.IntegrationKeys[k.Address] = k
	content, diags := in.body.Content(integrationKeySchema)
	l.diags = append(l.diags, diags...)
	k.Link = l.linkRef(content, b.DefRange)
	a, ok := content.Attributes["columns"]
	if !ok {
		return
	}
	k.ColumnsRange = a.Expr.Range()
	cols, ok := in.scope.strs(a)
	if !ok {
		return
	}
	k.Columns = cols
	k.Sensitive = in.scope.sensitivePaths()
	if len(cols) < 1 || len(cols) > MaxIntegrationKeyColumns {
		l.errorf(a.Expr.Range(), "Invalid integration key",
			"An integration key has 1 to %d columns (a Dataverse alternate key's limit); this one has %d.", MaxIntegrationKeyColumns, len(cols))
	}
	seen := map[string]bool{}
	for _, c := range cols {
		if !lookupPath.MatchString(c) {
			l.errorf(a.Expr.Range(), "Invalid key column", "%q is not a Dataverse column or lookup path such as msdyn_company.cdm_companycode.", c)
		}
		if seen[c] {
			l.errorf(a.Expr.Range(), "Duplicate key column", "The column %q is listed twice.", c)
		}
		seen[c] = true
	}
}
