package config

import (
	"fmt"
	"strings"

	"github.com/dwctl/dwctl/filter"
)

// MaxCompaniesPerLink is the most legal entities a link takes for initial
// writes (dual-write.md §2.5: 40).
const MaxCompaniesPerLink = 40

// MaxServiceSyncLookups is the number of lookups from which the service's
// initial sync from Dataverse fails (dual-write.md §7.2: 10 or more).
const MaxServiceSyncLookups = 10

// validate runs the offline checks that look across objects.
func (l *loader) validate() {
	l.checkLinks()
	l.checkCompanies()
	l.checkIntegrationKeys()
	l.checkMapPairs()
	l.checkMapFields()
	l.checkCycles()
	l.checkNumberSequences()
	l.checkFilters()
	l.checkNumberFormats()
}

// checkLinks enforces the 1:1 rule: an environment belongs to one link.
func (l *loader) checkLinks() {
	owner := map[*Environment]*Link{}
	for _, lk := range bySource(l.cfg.Links) {
		for _, e := range []*Environment{lk.FinOps, lk.Dataverse} {
			if e == nil {
				continue
			}
			if prev, ok := owner[e]; ok {
				l.errorf(lk.DeclRange, "Environment linked twice",
					"%s is already linked by %s: dual-write links one F&O environment with one Dataverse environment, 1:1.", e.Addr(), prev.Addr())
				continue
			}
			owner[e] = lk
		}
	}
}

// checkCompanies checks ids and names per link, and the company limit.
func (l *loader) checkCompanies() {
	perLink := map[*Link][]*Company{}
	for _, c := range bySource(l.cfg.Companies) {
		if c.Link != nil {
			perLink[c.Link] = append(perLink[c.Link], c)
		}
	}
	for lk, cs := range perLink {
		ids, names := map[string]*Company{}, map[string]*Company{}
		for _, c := range cs {
			if prev, ok := ids[c.ID]; ok {
				l.errorf(c.IDRange, "Duplicate company",
					"%s and %s are the same legal entity %s: F&O company ids are case-insensitive.", c.Address, prev.Address, c.ID)
				continue
			}
			ids[c.ID] = c
			l.checkCompanyName(c, names)
		}
		if len(ids) > MaxCompaniesPerLink {
			l.errorf(cs[MaxCompaniesPerLink].DeclRange, "Too many companies",
				"%s has %d companies; dual-write takes at most %d legal entities per link (beyond that it fails with \"Exceeds the maximum partitions allowed\").",
				lk.Addr(), len(ids), MaxCompaniesPerLink)
		}
	}
}

func (l *loader) checkCompanyName(c *Company, names map[string]*Company) {
	if c.NameRange.Filename == "" {
		return
	}
	key := strings.ToLower(strings.TrimSpace(c.Name))
	if key == "" {
		l.errorf(c.NameRange, "Blank company name",
			"The cdm_company name of %s is blank; dual-write refuses blank or duplicate company names when linking.", c.ID)
		return
	}
	if prev, ok := names[key]; ok {
		l.errorf(c.NameRange, "Duplicate company name",
			"%s and %s are both named %q; linking fails with \"An item with the same key has already been added\". Give each company its own name.", c.ID, prev.ID, c.Name)
		return
	}
	names[key] = c
}

// checkMapPairs refuses two maps on one table pair with identical filters:
// they would sync the same rows.
func (l *loader) checkMapPairs() {
	seen := map[string]*TableMap{}
	for _, m := range bySource(l.cfg.TableMaps) {
		if m.Link == nil || m.FinOps == "" || m.Dataverse == "" {
			continue
		}
		key := fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%s", m.Link.Name, strings.ToLower(m.FinOps), m.Dataverse,
			canonicalFilter(m.Filter, true), canonicalFilter(m.Filter, false))
		if prev, ok := seen[key]; ok {
			l.errorf(m.DeclRange, "Duplicate table map",
				"%s and %s both map %s to %s with the same filters, so they would sync the same rows. Give them different filters, or remove one.",
				m.Address, prev.Address, m.FinOps, m.Dataverse)
			continue
		}
		seen[key] = m
	}
}

// canonicalFilter is a filter side in the filter package's canonical form,
// or with insignificant spaces removed when it does not parse.
func canonicalFilter(f *Filter, finops bool) string {
	if f == nil {
		return ""
	}
	t, lang := f.Dataverse, filter.Dataverse
	if finops {
		t, lang = f.FinOps, filter.FinOps
	}
	if t == nil {
		return ""
	}
	if e, _ := filter.Parse(lang, t.Value); e != nil {
		return e.String()
	}
	return strings.Join(strings.Fields(t.Value), " ")
}

// checkCycles reports depends_on cycles between table maps.
func (l *loader) checkCycles() {
	for _, c := range l.cfg.Graph.Cycles() {
		m := l.cfg.TableMaps[c[0]]
		if m == nil {
			continue
		}
		l.errorf(m.DeclRange, "Cycle in depends_on",
			"These table maps depend on each other: %s → %s. Remove one depends_on entry to break the cycle.",
			strings.Join(c, " → "), c[0])
	}
}

// checkNumberSequences checks what needs no format analysis: the company
// of a company-scoped sequence belongs to the link.
func (l *loader) checkNumberSequences() {
	for _, ns := range bySource(l.cfg.NumberSequences) {
		if ns.FinOps == nil || ns.FinOps.Company == "" || ns.Link == nil {
			continue
		}
		if !l.linkHasCompany(ns.Link, ns.FinOps.Company) {
			l.warnf(ns.FinOps.DeclRange, "Company not on the link",
				"The sequence names company %s, which no company block adds to %s.", ns.FinOps.Company, ns.Link.Addr())
		}
	}
}

func (l *loader) linkHasCompany(lk *Link, id string) bool {
	for _, c := range l.cfg.Companies {
		if c.Link == lk && c.ID == id {
			return true
		}
	}
	return false
}
