package applier

import (
	"context"
	"fmt"
	"strings"

	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
)

// company adds, changes or removes a legal entity of a link.
func (x *execution) company(ctx context.Context) error {
	p, err := x.pair()
	if err != nil {
		return err
	}
	info, err := x.linkInfo(ctx)
	if err != nil {
		return err
	}
	c := x.attrs().Company
	switch x.act.Kind {
	case planner.Delete:
		return p.Control.RemoveLegalEntities(ctx, info, []string{c.ID})
	case planner.Create:
		if x.act.Params.CreateLegalEntity {
			if err := x.legalEntity(ctx, p.FinOps, c); err != nil {
				return err
			}
		}
		if x.act.Params.AddedByReset {
			break // the link's reset added it
		}
		if err := p.Control.AddLegalEntities(ctx, info, []string{c.ID}, x.act.Params.SkipInitialWrites); err != nil {
			return err
		}
	}
	return x.companyRow(ctx, p.Dataverse, c)
}

// legalEntity creates the company's legal entity in F&O through its
// LegalEntities entity [D], unless F&O has it by now.
func (x *execution) legalEntity(ctx context.Context, fo providers.FinOps, c *planner.CompanyAttrs) error {
	have, err := fo.LegalEntities(ctx)
	if err != nil {
		return err
	}
	for _, le := range have {
		if strings.EqualFold(le.Code, c.ID) {
			return nil
		}
	}
	res, err := fo.WriteRows(ctx, "LegalEntities", []providers.Write{{Kind: providers.Create,
		Row: providers.Row{"LegalEntityId": c.ID, "Name": c.Name}}}, providers.BatchOptions{})
	if err != nil {
		return fmt.Errorf("create the legal entity %s in F&O: %w", c.ID, err)
	}
	if res[0].Err != nil {
		return fmt.Errorf("create the legal entity %s in F&O: %w", c.ID, res[0].Err)
	}
	return nil
}

// companyRow sets the name and the default owning team of the company's
// cdm_company row, which the service creates when the company is added.
func (x *execution) companyRow(ctx context.Context, dv providers.Dataverse, c *planner.CompanyAttrs) error {
	rows, err := dv.Companies(ctx)
	if err != nil {
		return err
	}
	var row *providers.Company
	for i := range rows {
		if strings.EqualFold(rows[i].Code, c.ID) {
			row = &rows[i]
		}
	}
	if row == nil {
		return fmt.Errorf("Dataverse has no cdm_company row for %s after it was added to the link", c.ID)
	}
	change := providers.Row{}
	if strings.TrimSpace(row.Name) != c.Name {
		change["cdm_name"] = c.Name
	}
	if c.OwningTeam != "" {
		team, err := teamID(ctx, dv, c.OwningTeam)
		if err != nil {
			return err
		}
		change["cdm_defaultowningteam@odata.bind"] = "/teams(" + string(team) + ")"
	}
	if len(change) == 0 {
		return nil
	}
	return writeOne(ctx, dv, "cdm_companies", providers.Write{Kind: providers.Update,
		Key: providers.Key{{Value: row.ID}}, Row: change})
}

// teamID finds a Dataverse team by name.
func teamID(ctx context.Context, dv providers.Dataverse, name string) (providers.GUID, error) {
	var id providers.GUID
	q := providers.Query{Filter: "name eq '" + strings.ReplaceAll(name, "'", "''") + "'", Select: []string{"teamid"}, Top: 1}
	err := dv.ListRows(ctx, "teams", q, func(rows []providers.Row) error {
		for _, r := range rows {
			if s, ok := r["teamid"].(string); ok {
				id = providers.GUID(s)
			}
		}
		return nil
	})
	if err == nil && id == "" {
		err = fmt.Errorf("Dataverse has no team named %q for the company's default owning team", name)
	}
	return id, err
}

// writeOne sends one write and returns its error.
func writeOne(ctx context.Context, rs providers.RowWriter, set string, w providers.Write) error {
	res, err := rs.WriteRows(ctx, set, []providers.Write{w}, providers.BatchOptions{})
	if err != nil {
		return err
	}
	if len(res) == 1 && res[0].Err != nil {
		return res[0].Err
	}
	return nil
}
