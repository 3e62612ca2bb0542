package control

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
	"github.com/zclconf/go-cty/cty"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/emulator/authority"
	"github.com/dwctl/dwctl/emulator/copier"
	"github.com/dwctl/dwctl/emulator/dataverse"
	"github.com/dwctl/dwctl/emulator/finops"
	"github.com/dwctl/dwctl/emulator/livesync"
	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/seed"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/filter"
)

// TestContosoTablesAreSeeded checks every table map, integration key, company and number sequence of
// examples/contoso against the demo emulator's metadata, so that applying the example to an emulator
// finds every table, column and alternate key it names.
func TestContosoTablesAreSeeded(t *testing.T) {
	dir := "../../examples/contoso"
	cfg, diags := config.Load(dir, config.LoadOptions{Vars: []config.VarArg{{File: true, Value: dir + "/prod.dwvars"}}})
	if diags.HasErrors() {
		t.Fatalf("loading %s: %s", dir, diags.Error())
	}
	c := newTestPlane(t, "demo", 2)
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	for _, k := range cfg.IntegrationKeys {
		if err := c.cat.checkKey(k.Table, k.Columns); err != nil {
			add("%s: %v", k.Address, err)
		}
	}
	for _, m := range cfg.TableMaps {
		def := contosoDefinition(m)
		fo, ok1 := c.store.TableBySet(store.FinOps, def.FinOps)
		dv, ok2 := c.store.TableBySet(store.Dataverse, def.Dataverse)
		if !ok1 || !ok2 {
			add("%s: %v", m.Address, c.cat.checkDefinition(def))
			continue
		}
		for _, f := range def.Fields {
			if _, ok := fo.Column(f.FinOps); f.FinOps != "" && !ok {
				add("%s: F&O field %s.%s is missing", m.Address, fo.EntitySet, f.FinOps)
			}
			if msg := typeMismatch(fo, dv, f); msg != "" {
				add("%s: %s", m.Address, msg)
			}
			if _, err := store.KeyColumns(dv, []string{f.Dataverse}); f.Dataverse != "" && err != nil {
				add("%s: %v", m.Address, err)
			} else if msg := lookupPathProblem(c.store, dv, f.Dataverse); msg != "" {
				add("%s: field %s: %s", m.Address, f.Dataverse, msg)
			}
		}
		if err := c.cat.checkDefinition(def); err != nil {
			add("%s: %v", m.Address, err)
		}
		for _, msg := range unfilledMandatory(fo, dv, def) {
			add("%s: %s", m.Address, msg)
		}
		for _, msg := range filterProblems(fo, dv, def) {
			add("%s: %s", m.Address, msg)
		}
		if k, ok := cfg.IntegrationKeys[dv.Name]; ok {
			if msg := unmappedKeyField(c, dv, k.Columns, def); msg != "" {
				add("%s: %s", m.Address, msg)
			}
		} else if !contosoKeyFor(cfg, dv.Name) {
			add("%s: no integration key for table %s", m.Address, dv.Name)
		}
	}
	// The demo data has USMF, DEMF and GBSI; the example's other companies are created as users
	// create them, through LegalEntities.
	for _, co := range cfg.Companies {
		le, _ := c.store.TableBySet(store.FinOps, "LegalEntities")
		id, _ := store.FinOpsID(le, map[string]any{"LegalEntityId": co.ID})
		if _, found, _ := c.store.Get(t.Context(), store.FinOps, "LegalEntity", id); found {
			continue
		}
		if _, aerr := c.finops.Insert(t.Context(), le, map[string]any{"LegalEntityId": co.ID, "Name": co.Name}); aerr != nil {
			add("%s: creating legal entity %s: %s", co.Address, co.ID, aerr.Message)
		}
	}
	for _, s := range cfg.NumberSequences {
		dv, ok := c.store.Table(store.Dataverse, s.Dataverse.Table)
		if !ok {
			add("%s: Dataverse table %s is missing", s.Address, s.Dataverse.Table)
			continue
		}
		if col, ok := dv.Column(s.Dataverse.Column); !ok || col.Type != store.TypeString {
			add("%s: %s.%s is not a string column", s.Address, s.Dataverse.Table, s.Dataverse.Column)
		}
	}
	sort.Strings(problems)
	if diff := cmp.Diff([]string(nil), problems); diff != "" {
		t.Errorf("examples/contoso against the seeded metadata (-want +got):\n%s\n%s", diff, strings.Join(problems, "\n"))
	}
	if len(cfg.TableMaps) < 15 || len(cfg.IntegrationKeys) < 12 {
		t.Errorf("loaded %d maps and %d integration keys; the example has more", len(cfg.TableMaps), len(cfg.IntegrationKeys))
	}
}

// contosoKeyFor reports whether an integration key instance names table (for_each keys are
// addressed by instance, not by table).
func contosoKeyFor(cfg *config.Config, table string) bool {
	for _, k := range cfg.IntegrationKeys {
		if strings.EqualFold(k.Table, table) {
			return true
		}
	}
	return false
}

// contosoDefinition is a table map as the control plane stores it.
func contosoDefinition(m *config.TableMap) pairstate.Def {
	def := pairstate.Def{FinOps: m.FinOps, Dataverse: m.Dataverse}
	if m.Filter != nil && m.Filter.FinOps != nil {
		def.FinOpsFilter = m.Filter.FinOps.Value
	}
	if m.Filter != nil && m.Filter.Dataverse != nil {
		def.DataverseFilter = m.Filter.Dataverse.Value
	}
	dirs := map[config.Direction]int{config.ToDataverse: dirToDV, config.ToFinOps: dirToFO, config.Both: dirBoth}
	for _, f := range m.Fields {
		d := dirs[f.Direction]
		if d == 0 {
			d = dirBoth
		}
		field := pairstate.Field{FinOps: f.FinOps, Dataverse: f.Dataverse, Direction: d}
		for _, p := range f.ValueMap {
			if field.ValueMap == nil {
				field.ValueMap = map[string]string{}
			}
			field.ValueMap[p.FinOps] = ctyText(p.Dataverse)
		}
		def.Fields = append(def.Fields, field)
	}
	return def
}

// lookupPathProblem checks the part of a lookup path after the lookup: "lookup.column" names a
// column of a target table; "lookup.Table(column).Table(column)" one per polymorphic target.
func lookupPathProblem(s *store.Store, dv *store.Table, path string) string {
	head, rest, ok := strings.Cut(path, ".")
	if !ok {
		return ""
	}
	col, _ := dv.Column(head)
	if !strings.Contains(rest, "(") {
		for _, target := range col.Targets {
			if tt, ok := s.Table(store.Dataverse, target); ok {
				if _, ok := tt.Column(rest); ok {
					return ""
				}
			}
		}
		return fmt.Sprintf("no target of %s (%v) has the column %s", head, col.Targets, rest)
	}
	for _, part := range strings.Split(rest, ").") {
		table, column, _ := strings.Cut(strings.TrimSuffix(part, ")"), "(")
		tt, ok := s.Table(store.Dataverse, strings.ToLower(table))
		if !ok || !wire.ContainsFold(col.Targets, tt.Name) {
			return fmt.Sprintf("%s is not a target of %s (%v)", table, head, col.Targets)
		}
		if _, ok := tt.Column(column); !ok {
			return fmt.Sprintf("table %s has no column %s", tt.Name, column)
		}
	}
	return ""
}

// filterProblems names the filter columns a side's table does not have.
func filterProblems(fo, dv *store.Table, def pairstate.Def) []string {
	var out []string
	check := func(src string, parse func(string) (filter.Expr, []filter.Diagnostic), t *store.Table) {
		if src == "" {
			return
		}
		expr, _ := parse(src)
		for _, ref := range expr.Columns() {
			head, _, _ := strings.Cut(strings.Trim(ref.Name, "_"), "/")
			head = strings.TrimSuffix(head, "_value")
			if _, ok := t.Column(head); !ok {
				out = append(out, fmt.Sprintf("filter column %s is not a column of %s", ref.Name, t.Name))
			}
		}
	}
	check(def.FinOpsFilter, filter.ParseFinOps, fo)
	check(def.DataverseFilter, filter.ParseDataverse, dv)
	return out
}

// unmappedKeyField is the reason a map could not start: an integration key field no field fills.
func unmappedKeyField(c *Plane, dv *store.Table, key []string, def pairstate.Def) string {
	for _, f := range key {
		if c.cat.isCompanyPath(dv, f) {
			continue
		}
		mapped := false
		for _, fm := range def.Fields {
			mapped = mapped || strings.EqualFold(fm.Dataverse, f)
		}
		if !mapped {
			return "integration key field " + f + " is not mapped"
		}
	}
	return ""
}

// unfilledMandatory names the required columns of a side the map writes that no field fills, as
// validate -live reports them (DIPV1010).
func unfilledMandatory(fo, dv *store.Table, def pairstate.Def) []string {
	dvFilled, foFilled := map[string]bool{}, map[string]bool{}
	for _, f := range def.Fields {
		if f.Direction != dirToFO && f.Dataverse != "" {
			head, _, _ := strings.Cut(f.Dataverse, ".")
			dvFilled[strings.ToLower(head)] = true
		}
		if f.Direction != dirToDV && f.FinOps != "" {
			foFilled[strings.ToLower(f.FinOps)] = true
		}
	}
	var out []string
	for _, c := range dv.Columns {
		n := strings.ToLower(c.Name)
		if len(dvFilled) > 0 && c.Required && !c.ReadOnly && !dvFilled[n] && n != dv.PrimaryID && n != "msdyn_company" {
			out = append(out, "the required Dataverse column "+dv.Name+"."+c.Name+" is not mapped")
		}
	}
	for _, c := range fo.Columns {
		n := strings.ToLower(c.Name)
		if len(foFilled) > 0 && c.Required && !c.ReadOnly && !foFilled[n] && n != "dataareaid" {
			out = append(out, "the required F&O field "+fo.EntitySet+"."+c.Name+" is not mapped")
		}
	}
	return out
}

// typeMismatch is validate -live's type check (DIPV1030): a plain field mapping without a value map
// joins types of one family, or a choice with a number.
func typeMismatch(fo, dv *store.Table, f pairstate.Field) string {
	foc, ok1 := fo.Column(f.FinOps)
	dvc, ok2 := dv.Column(f.Dataverse)
	if !ok1 || !ok2 || len(f.ValueMap) > 0 {
		return ""
	}
	family := func(t string) string {
		switch t {
		case store.TypeString, store.TypeMemo:
			return "text"
		case store.TypeInteger, store.TypeBigInt, store.TypeInt64, store.TypeReal, store.TypeDecimal, store.TypeDouble, store.TypeMoney:
			return "number"
		case store.TypeEnum, store.TypePicklist, store.TypeState, store.TypeStatus, store.TypeBoolean:
			return "choice"
		case store.TypeDate, store.TypeDateTime:
			return "datetime"
		}
		return ""
	}
	a, b := family(foc.Type), family(dvc.Type)
	if a == "" || b == "" || a == b || (a == "choice" && b == "number") || (a == "number" && b == "choice") {
		return ""
	}
	return fmt.Sprintf("field %s (%s) and column %s (%s) have different types", foc.Name, foc.Type, dvc.Name, dvc.Type)
}

// newTestPlane is a control plane over a fresh store seeded with finOpsSeed and rows, without
// listeners.
func newTestPlane(t *testing.T, finOpsSeed string, rows int) *Plane {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, store.DatabaseFileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tokens, err := authority.Open(dir, time.Now, time.Hour, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	dv := dataverse.New(dataverse.Config{Store: st, Identity: tokens.Identity(), Clock: time.Now, Log: hclog.NewNullLogger()})
	fo := finops.New(st, time.Now, 10000)
	rt := livesync.New(copier.Sides{Store: st, Dataverse: dv, FinOps: fo, Clock: time.Now})
	if err := seed.Run(t.Context(), seed.Config{Store: st, Dataverse: dv, FinOps: fo, BusinessUnit: tokens.Identity().BusinessUnitID,
		FinOpsSeed: finOpsSeed, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	return New(Config{Store: st, Dataverse: dv, FinOps: fo, Runtime: rt, Tokens: tokens, Clock: time.Now, Log: hclog.NewNullLogger(), DataDir: dir})
}

// ctyText renders a value-map or default value as the service stores it.
func ctyText(v cty.Value) string {
	switch {
	case v.IsNull():
		return ""
	case v.Type() == cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case v.Type() == cty.Bool:
		return strconv.FormatBool(v.True())
	case v.Type() == cty.String:
		return v.AsString()
	}
	return v.GoString()
}
