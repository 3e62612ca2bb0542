package live

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// owningTeams reads the default owning team of every company when the
// configuration declares one for a company of the link: the cdm_company
// rows' cdm_defaultowningteam and the names of those teams, two requests.
// A Dataverse without teams (dual-write's company solution missing) leaves
// them unread, which the planner does not compare.
func (r *reader) owningTeams(ctx context.Context) error {
	declared := false
	for _, c := range r.cfg.Companies {
		declared = declared || (c.Link == r.link && c.OwningTeam != "")
	}
	if !declared {
		return nil
	}
	if err := r.declaredTeams(ctx); err != nil {
		return err
	}
	byTeam, err := r.companyTeams(ctx)
	if providers.IsNotFound(err) {
		return nil
	}
	if err != nil || len(byTeam) == 0 {
		return wrap("read the companies' owning teams", err)
	}
	var terms []string
	for id := range byTeam {
		terms = append(terms, fmt.Sprintf("teamid eq %s", id))
	}
	teams := map[string]string{}
	err = r.p.Dataverse.ListRows(ctx, "teams", providers.Query{Select: []string{"teamid", "name"}, Filter: strings.Join(terms, " or ")},
		func(rows []providers.Row) error {
			for _, row := range rows {
				id, _ := row["teamid"].(string)
				name, _ := row["name"].(string)
				teams[strings.ToLower(id)] = name
			}
			return nil
		})
	if providers.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return wrap("read the owning teams", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, codes := range byTeam {
		for _, code := range codes {
			r.out.OwningTeams[code] = teams[id]
		}
	}
	return nil
}

// declaredTeams looks up the owning teams the link's companies name, in
// one request: a company's default owning team must exist.
func (r *reader) declaredTeams(ctx context.Context) error {
	found := map[string]bool{}
	var terms []string
	for _, c := range r.cfg.Companies {
		if c.Link == r.link && c.OwningTeam != "" && !slices.Contains(terms, teamTerm(c.OwningTeam)) {
			found[strings.ToLower(c.OwningTeam)] = false
			terms = append(terms, teamTerm(c.OwningTeam))
		}
	}
	slices.Sort(terms)
	err := r.p.Dataverse.ListRows(ctx, "teams", providers.Query{Select: []string{"name"}, Filter: strings.Join(terms, " or ")},
		func(rows []providers.Row) error {
			for _, row := range rows {
				if name, ok := row["name"].(string); ok {
					found[strings.ToLower(name)] = true
				}
			}
			return nil
		})
	if providers.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return wrap("look up the declared owning teams", err)
	}
	r.mu.Lock()
	r.out.Teams = found
	r.mu.Unlock()
	return nil
}

func teamTerm(name string) string { return "name eq '" + strings.ReplaceAll(name, "'", "''") + "'" }

// companyTeams returns the company codes by owning team id.
func (r *reader) companyTeams(ctx context.Context) (map[string][]string, error) {
	byTeam := map[string][]string{}
	err := r.p.Dataverse.ListRows(ctx, "cdm_companies", providers.Query{Select: []string{"cdm_companycode", "_cdm_defaultowningteam_value"}},
		func(rows []providers.Row) error {
			for _, row := range rows {
				code, _ := row["cdm_companycode"].(string)
				team, _ := row["_cdm_defaultowningteam_value"].(string)
				if code != "" && team != "" {
					byTeam[strings.ToLower(team)] = append(byTeam[strings.ToLower(team)], strings.ToUpper(code))
				}
			}
			return nil
		})
	return byTeam, err
}
