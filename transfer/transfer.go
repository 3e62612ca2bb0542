package transfer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/providers"
)

// Global is the company of the rows of a global map in a Tally.
const Global = "(global)"

// CompanyPath is the company column of dual-write's integration keys on
// company-specific Dataverse tables, and companyLookup its lookup.
const (
	CompanyPath   = "msdyn_company.cdm_companycode"
	companyLookup = "msdyn_company"
	finOpsCompany = "DATAAREAID"
)

// Spec is one map's copy: both environments, the map, the integration key
// and the two tables' metadata.
type Spec struct {
	FinOps    providers.FinOps
	Dataverse providers.Dataverse
	// Map holds the fields and both filters; the company columns of a
	// company-specific map are added here.
	Map mapping.Map
	// FinOpsTable and DataverseTable are the metadata of the map's tables.
	FinOpsTable, DataverseTable providers.Table
	// Key is the integration key of the Dataverse table (its columns).
	Key []string
	// Master is "finops" or "dataverse": the side that wins.
	Master string
	// Companies are the link's legal entities; a company-specific map
	// copies their rows only.
	Companies []string
	// Bootstrapped are the company-less Dataverse rows a bootstrap gives
	// a company before the copy runs (row id, lower case → company code):
	// a preview counts them as that company's.
	Bootstrapped map[string]string
}

// Options tune a run.
type Options struct {
	// PageSize is the number of rows read per page (and written per
	// checkpoint).
	PageSize int
	// Write sends a page's writes to one side; nil previews without
	// writing.
	Write func(ctx context.Context, rs providers.RowWriter, set string, writes []providers.Write) error
	// Page is called after every page with the run's cursor and tally,
	// for checkpoints and progress; written is the rows the page wrote.
	Page func(ctx context.Context, c Cursor, written int64) error
	// Stop reports whether the run should stop before the next page.
	Stop func() bool
	// Assume tells a preview that a Dataverse row will exist when the copy
	// runs although it does not yet (a row an earlier operation of the plan
	// creates): the table's logical name, the column and the value.
	Assume func(table, column string, value any) bool
	// Examples is how many row differences a preview keeps (Tally.Rows).
	Examples int
	// Created, when set, is told of every row the run creates: the side
	// and the values written (columns and lookup paths).
	Created func(side string, values map[string]any)
}

// ErrStopped is returned when Options.Stop ended the run.
var ErrStopped = errors.New("stopped before the next page")

// Cursor is where a run is: phase "A" or "B" and the rows of the phase's
// source side read so far.
type Cursor struct {
	Phase string
	Done  int64
}

// String is the form checkpoints keep: "A:500".
func (c Cursor) String() string { return fmt.Sprintf("%s:%d", c.Phase, c.Done) }

// ParseCursor reads a Cursor; an empty or unreadable one starts at phase A.
func ParseCursor(s string) Cursor {
	phase, n, ok := strings.Cut(s, ":")
	if !ok || (phase != "A" && phase != "B") {
		return Cursor{Phase: "A"}
	}
	var rows int64
	if _, err := fmt.Sscan(n, &rows); err != nil || rows < 0 {
		return Cursor{Phase: "A"}
	}
	return Cursor{Phase: phase, Done: rows}
}

// Copier copies, or previews, one map.
type Copier struct {
	spec    Spec
	opts    Options
	cm      *mapping.Compiled
	company bool
	linked  map[string]bool
	fo, dv  *side
	look    *lookups
	// dvCompanies is the filter on the linked companies' rows of a
	// company-specific Dataverse table ("" reads every row).
	dvCompanies string
	tally       *Tally
}

// New builds a copier. It reads nothing until Run.
func New(spec Spec, opts Options) (*Copier, error) {
	if opts.PageSize <= 0 {
		opts.PageSize = 500
	}
	c := &Copier{spec: spec, opts: opts, linked: map[string]bool{}, tally: NewTally()}
	c.company = spec.FinOpsTable.CompanySpecific() && spec.DataverseTable.CompanyLookup() != ""
	m := spec.Map
	if c.company {
		m.FinOpsCompany, m.DataverseCompany = finOpsCompany, CompanyPath
	}
	var err error
	if c.cm, err = mapping.Compile(m); err != nil {
		return nil, err
	}
	for _, code := range spec.Companies {
		c.linked[strings.ToUpper(code)] = true
	}
	foKey, dvKey, err := c.keyParts(spec.Key)
	if err != nil {
		return nil, err
	}
	c.look = newLookups(spec.Dataverse, spec.DataverseTable, opts.Assume)
	c.fo = c.finOpsSide(foKey)
	c.dv = c.dataverseSide(dvKey)
	return c, nil
}

// Tally is what the run has counted so far.
func (c *Copier) Tally() *Tally { return c.tally }

// Resume starts the counts from a checkpoint's.
func (c *Copier) Resume(counts map[string]int64) {
	for k, n := range counts {
		c.tally.counts[k] = n
	}
}

// Run walks both phases from the cursor. A preview also counts the rows
// each side's filter leaves out. Rows that would fail are counted, never
// sent; Run returns a *RowErrors naming them after the others are written.
func (c *Copier) Run(ctx context.Context, from Cursor) error {
	if err := c.companyFilter(ctx); err != nil {
		return err
	}
	master, other := c.fo, c.dv
	if c.spec.Master != "finops" {
		master, other = c.dv, c.fo
	}
	if from.Phase != "B" {
		if err := c.phase(ctx, "A", master, other, from.Done, true); err != nil {
			return err
		}
		from.Done = 0
	}
	if err := c.phase(ctx, "B", other, master, from.Done, false); err != nil {
		return err
	}
	if c.opts.Write == nil {
		if err := c.filteredDataverse(ctx); err != nil {
			return err
		}
	}
	if n := c.tally.Total(Errors); n > 0 && c.opts.Write != nil {
		return &RowErrors{Count: n, First: c.tally.Errors}
	}
	return nil
}

// companyFilter makes the Dataverse side read only the linked companies'
// rows of a company-specific table, as the F&O side does. It reads every
// row when a linked company has no cdm_company row yet (the plan creates
// it) or a bootstrap will give rows their company before the copy runs.
func (c *Copier) companyFilter(ctx context.Context) error {
	if !c.company || len(c.linked) == 0 || len(c.spec.Bootstrapped) > 0 {
		return nil
	}
	var or []string
	for _, code := range slices.Sorted(maps.Keys(c.linked)) {
		id, ok, err := c.look.id(ctx, companyLookup, "cdm_companycode", code)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		or = append(or, "_"+companyLookup+"_value eq "+string(id))
	}
	c.dvCompanies = strings.Join(or, " or ")
	return nil
}

// RowErrors says which rows a run could not copy.
type RowErrors struct {
	Count int64
	First []RowError
}

func (e *RowErrors) Error() string {
	noun := "rows"
	if e.Count == 1 {
		noun = "row"
	}
	var parts []string
	for _, r := range e.First {
		parts = append(parts, r.String())
	}
	return fmt.Sprintf("%d %s could not be copied; the others were: %s", e.Count, noun, strings.Join(parts, "; "))
}

// keyParts returns the F&O field (upper case) and the Dataverse column or
// path of every part of the integration key.
func (c *Copier) keyParts(cols []string) (fo, dv []string, err error) {
	if len(cols) == 0 {
		return nil, nil, fmt.Errorf("no integration_key is declared for the Dataverse table %s; a dwctl-mode initial sync matches rows by it", c.spec.DataverseTable.LogicalName)
	}
	for _, col := range cols {
		col = strings.ToLower(col)
		if col == CompanyPath && c.company {
			fo, dv = append(fo, finOpsCompany), append(dv, col)
			continue
		}
		found := ""
		for _, f := range c.spec.Map.Fields {
			if strings.EqualFold(f.Dataverse, col) && f.FinOps != "" {
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

// receives reports whether some field flows to the side.
func (c *Copier) receives(to string) bool {
	for _, f := range c.spec.Map.Fields {
		if to == "dataverse" && f.Dataverse != "" && f.Direction != mapping.ToFinOps ||
			to == "finops" && f.FinOps != "" && f.Direction != mapping.ToDataverse {
			return true
		}
	}
	return false
}
