package connection

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/providers"
)

// seedCompanies creates in an emulated F&O the legal entities that cfg
// names on link l and that the emulator's seed data lacks.
func seedCompanies(ctx context.Context, cfg *config.Config, l *config.Link, fo providers.FinOps) error {
	have, err := fo.LegalEntities(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, c := range have {
		known[strings.ToUpper(c.Code)] = true
	}
	var writes []providers.Write
	for _, c := range sortedCompanies(cfg, l) {
		if known[c.ID] || c.CreateLegalEntity {
			continue // present, or dwctl's apply creates it
		}
		known[c.ID] = true
		writes = append(writes, providers.Write{Kind: providers.Create,
			Row: providers.Row{"LegalEntityId": c.ID, "Name": c.Name}})
	}
	if len(writes) == 0 {
		return nil
	}
	res, err := fo.WriteRows(ctx, "LegalEntities", writes, providers.BatchOptions{Atomic: true})
	if err != nil {
		return err
	}
	for i, r := range res {
		if r.Err != nil {
			return fmt.Errorf("create legal entity %s: %w", writes[i].Row["LegalEntityId"], r.Err)
		}
	}
	return nil
}

func sortedCompanies(cfg *config.Config, l *config.Link) []*config.Company {
	var out []*config.Company
	for _, c := range cfg.Companies {
		if c.Link == l {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// isEmptyDir reports whether dir holds nothing (an emulator never started
// there).
func isEmptyDir(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) == 0
}
