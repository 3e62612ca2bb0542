package config

import (
	"math"
	"strings"

	"github.com/dwctl/dwctl/addrs"
	"github.com/hashicorp/hcl/v2"
)

var numberSequenceSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "link"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "finops"}, {Type: "dataverse"}},
}

var finopsSequenceSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "code", Required: true}, {Name: "scope", Required: true}, {Name: "company"},
		{Name: "format", Required: true}, {Name: "smallest"}, {Name: "largest"},
	},
}

var autoNumberSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "table", Required: true}, {Name: "column", Required: true},
		{Name: "format", Required: true}, {Name: "seed"},
	},
}

// SequenceScopes are the scopes of an F&O number sequence.
var SequenceScopes = []string{"shared", "company", "legal_entity", "operating_unit"}

func (l *loader) decodeNumberSequences() {
	for _, b := range l.blocks["number_sequence"] {
		if !l.checkName(b, 0, "number sequence") {
			continue
		}
		ns := &NumberSequence{Address: addrs.NewObject(addrs.NumberSequence, b.Labels[0]).String(), Name: b.Labels[0], DeclRange: b.DefRange}
		if prev, ok := l.cfg.NumberSequences[ns.Address]; ok {
			l.errorf(b.DefRange, "Duplicate number sequence", "%s was already declared at %s.", ns.Address, prev.DeclRange)
			continue
		}
		l.cfg.NumberSequences[ns.Address] = ns
		content, diags := b.Body.Content(numberSequenceSchema)
		l.diags = append(l.diags, diags...)
		ns.Link = l.linkRef(content, b.DefRange)
		s := l.scope(nil)
		for _, sb := range content.Blocks {
			switch {
			case sb.Type == "finops" && ns.FinOps == nil:
				ns.FinOps = l.decodeFinOpsSequence(sb, s.at("finops/"))
			case sb.Type == "dataverse" && ns.Dataverse == nil:
				ns.Dataverse = l.decodeAutoNumber(sb, s.at("dataverse/"))
			default:
				l.errorf(sb.DefRange, "Duplicate "+sb.Type+" block", "A number_sequence has at most one %s block.", sb.Type)
			}
		}
		if ns.FinOps == nil && ns.Dataverse == nil {
			l.errorf(b.DefRange, "Empty number sequence", "A number_sequence needs a finops block, a dataverse block, or both.")
		}
		ns.Sensitive = s.sensitivePaths()
	}
}

func (l *loader) decodeFinOpsSequence(b *hcl.Block, s *scope) *FinOpsSequence {
	fs := &FinOpsSequence{Smallest: 1, DeclRange: b.DefRange}
	content, diags := b.Body.Content(finopsSequenceSchema)
	l.diags = append(l.diags, diags...)
	if a, ok := content.Attributes["code"]; ok {
		fs.Code, _ = s.str(a)
	}
	if a, ok := content.Attributes["scope"]; ok {
		fs.Scope, _ = s.oneOf(a, SequenceScopes...)
	}
	if a, ok := content.Attributes["company"]; ok {
		if c, ok := s.str(a); ok {
			if !companyID.MatchString(c) {
				l.errorf(a.Expr.Range(), "Invalid company id", "%q is not an F&O legal entity id (1 to 4 letters or digits).", c)
			}
			fs.Company = strings.ToUpper(c)
		}
	} else if fs.Scope == "company" || fs.Scope == "legal_entity" {
		l.errorf(b.DefRange, "Missing company", "A %s-scoped number sequence names its company: company = \"USMF\".", fs.Scope)
	}
	if a, ok := content.Attributes["format"]; ok {
		fs.FormatRange = a.Expr.Range()
		if t, ok := s.text(a); ok {
			fs.Format, fs.FormatText = t.Value, t
		}
	}
	if a, ok := content.Attributes["smallest"]; ok {
		fs.Smallest, _ = s.integer(a, 0, math.MaxInt64)
	}
	fs.Largest = defaultLargest(fs.Format)
	if a, ok := content.Attributes["largest"]; ok {
		fs.Largest, _ = s.integer(a, 0, math.MaxInt64)
	}
	return fs
}

// defaultLargest is the largest number the '#' positions of an F&O format
// hold, as the number sequence form fills it in.
func defaultLargest(format string) int64 {
	n := strings.Count(format, "#")
	if n == 0 || n > 18 {
		return math.MaxInt64
	}
	return int64(math.Pow10(n)) - 1
}

func (l *loader) decodeAutoNumber(b *hcl.Block, s *scope) *AutoNumber {
	an := &AutoNumber{DeclRange: b.DefRange}
	content, diags := b.Body.Content(autoNumberSchema)
	l.diags = append(l.diags, diags...)
	if a, ok := content.Attributes["table"]; ok {
		an.Table, _ = l.matching(s, a, logicalName, "a Dataverse logical table name such as account")
	}
	if a, ok := content.Attributes["column"]; ok {
		an.Column, _ = l.matching(s, a, logicalName, "a Dataverse logical column name such as accountnumber")
	}
	if a, ok := content.Attributes["format"]; ok {
		an.FormatRange = a.Expr.Range()
		if t, ok := s.text(a); ok {
			an.Format, an.FormatText = t.Value, t
		}
	}
	if a, ok := content.Attributes["seed"]; ok {
		an.Seed, an.HasSeed = s.integer(a, 0, math.MaxInt64)
	}
	return an
}
