package applier

import (
	"context"
	"fmt"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/filter"
	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
)

// valueRow is a row as the copy compares it: F&O fields by upper-case name,
// Dataverse columns and lookup paths ("x.y", resolved) by lower-case name.
type valueRow = filter.MapRow

// side is one environment of a copy.
type side struct {
	name     string // "finops" or "dataverse"
	set      string
	rs       providers.RowStore
	receives bool // some field flows to this side
	keyCols  []string
	query    func(page int) providers.Query
	resolve  func(ctx context.Context, r providers.Row) (valueRow, error)
	selected func(v valueRow) (bool, error)
	// transform turns the other side's row into this side's values.
	transform func(v valueRow) (map[string]any, error)
	keyFilter func(ctx context.Context, keys [][]any) (string, error)
	create    func(ctx context.Context, want map[string]any) (providers.Write, error)
	update    func(ctx context.Context, have valueRow, changed map[string]any) (providers.Write, error)
}

func (s *side) keyValues(v valueRow) []any {
	out := make([]any, len(s.keyCols))
	for i, c := range s.keyCols {
		out[i], _ = v.Value(c)
	}
	return out
}

// keyString is the matching form of a row's key: parts as text, upper case
// (Dataverse compares text case-insensitively).
func (s *side) keyString(v valueRow) string {
	var parts []string
	for _, x := range s.keyValues(v) {
		parts = append(parts, strings.ToUpper(mapping.Text(x)))
	}
	return strings.Join(parts, "\x1f")
}

// copier holds what a copy needs: both sides, the compiled map, counts.
type copier struct {
	x       *execution
	ma      *planner.MapAttrs
	fo, dv  *side
	cm      *mapping.Compiled
	company bool
	counts  map[string]int64
}

// sides returns the master side and the other one.
func (c *copier) sides() (*side, *side) {
	if c.x.act.Params.Master == "finops" {
		return c.fo, c.dv
	}
	return c.dv, c.fo
}

// newCopier reads the metadata of both tables and builds the two sides.
func newCopier(ctx context.Context, x *execution) (*copier, error) {
	p, err := x.pair()
	if err != nil {
		return nil, err
	}
	o := x.rec.p.Objects[objectAddress(x.act.Address)]
	if o == nil || o.Desired == nil || o.Desired.Map == nil {
		return nil, fmt.Errorf("the plan holds no definition of %s", objectAddress(x.act.Address))
	}
	c := &copier{x: x, ma: o.Desired.Map}
	dvMeta, keyCols, err := c.dataverseTable(ctx, p.Dataverse, o.Link)
	if err != nil {
		return nil, err
	}
	foMeta, err := p.FinOps.Tables(ctx, []string{c.ma.FinOps})
	if err != nil {
		return nil, err
	}
	if len(foMeta) != 1 {
		return nil, fmt.Errorf("no metadata for the F&O entity %s", c.ma.FinOps)
	}
	_, dvCompany := dvMeta.Column(companyColumn)
	c.company = dvCompany && foMeta[0].CompanySpecific()
	m := mapping.Map{FinOpsFilter: c.ma.FinOpsFilter, DataverseFilter: c.ma.DataverseFilter}
	for _, f := range c.ma.Fields {
		m.Fields = append(m.Fields, mapping.Field{FinOps: f.FinOps, Dataverse: f.Dataverse,
			Direction: mapping.Direction(planner.DirectionOf(config.Direction(f.Direction))), ValueMap: f.ValueMap, Default: f.Default})
	}
	if c.company {
		m.FinOpsCompany, m.DataverseCompany = "DATAAREAID", companyPath
	}
	if c.cm, err = mapping.Compile(m); err != nil {
		return nil, err
	}
	foKey, dvKey, err := c.keyParts(keyCols)
	if err != nil {
		return nil, err
	}
	look := newLookups(p.Dataverse, dvMeta)
	c.fo = c.finOpsSide(p.FinOps, foMeta[0], foKey)
	c.dv = c.dataverseSide(p.Dataverse, dvMeta, dvKey, look)
	if c.company {
		if err := c.linkedCompanies(ctx, p); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// linkedCompanies limits both sides of a company-specific map to the rows
// of the link's legal entities, as the service's initial sync runs per
// linked company [D].
func (c *copier) linkedCompanies(ctx context.Context, p Pair) error {
	info, err := c.x.linkInfo(ctx)
	if err != nil {
		return err
	}
	details, err := p.Control.Details(ctx, info)
	if err != nil {
		return err
	}
	linked := map[string]bool{}
	for _, le := range details.LegalEntities {
		linked[strings.ToUpper(le.Code)] = true
	}
	for _, s := range []struct {
		sd  *side
		col string
	}{{c.fo, "DATAAREAID"}, {c.dv, companyPath}} {
		sel, col := s.sd.selected, s.col
		s.sd.selected = func(v valueRow) (bool, error) {
			x, _ := v.Value(col)
			if !linked[strings.ToUpper(mapping.Text(x))] {
				return false, nil
			}
			return sel(v)
		}
	}
	return nil
}

// companyPath is the company column of dual-write's integration keys.
const companyPath = "msdyn_company.cdm_companycode"

// dataverseTable finds the metadata of the map's Dataverse table and its
// integration key among the keys of the plan's link.
func (c *copier) dataverseTable(ctx context.Context, dv providers.Dataverse, link string) (providers.Table, []string, error) {
	keys := map[string][]string{}
	var names []string
	for _, o := range c.x.rec.p.Objects {
		if o.Kind == "integration_key" && o.Link == link && o.Desired != nil && o.Desired.Key != nil {
			keys[o.Desired.Key.Table] = o.Desired.Key.Columns
			names = append(names, o.Desired.Key.Table)
		}
	}
	if len(names) > 0 {
		tables, err := dv.Tables(ctx, sortStrings(names))
		if err != nil {
			return providers.Table{}, nil, err
		}
		for _, t := range tables {
			if strings.EqualFold(t.EntitySetName, c.ma.Dataverse) {
				return t, keys[strings.ToLower(t.LogicalName)], nil
			}
		}
	}
	return providers.Table{}, nil, fmt.Errorf("no integration_key is declared for the Dataverse table of %s; a dwctl-mode initial sync matches rows by it", c.ma.Dataverse)
}

// keyParts returns the F&O field (upper case) and the Dataverse column or
// path of every part of the integration key.
func (c *copier) keyParts(cols []string) (fo, dv []string, err error) {
	for _, col := range cols {
		col = strings.ToLower(col)
		if col == companyPath && c.company {
			fo, dv = append(fo, "DATAAREAID"), append(dv, col)
			continue
		}
		found := ""
		for _, f := range c.ma.Fields {
			if f.Dataverse == col && f.FinOps != "" {
				found = strings.ToUpper(f.FinOps)
			}
		}
		if found == "" {
			return nil, nil, fmt.Errorf("the integration key column %s is not mapped to an F&O field", col)
		}
		fo, dv = append(fo, found), append(dv, col)
	}
	return fo, dv, nil
}

// receives reports whether some field flows to the side ("finops" or
// "dataverse").
func (c *copier) receives(to string) bool {
	for _, f := range c.ma.Fields {
		d := config.Direction(f.Direction)
		if to == "dataverse" && f.Dataverse != "" && d != config.ToFinOps || to == "finops" && f.FinOps != "" && d != config.ToDataverse {
			return true
		}
	}
	return false
}
