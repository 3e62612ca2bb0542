package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/providers"
	"github.com/hashicorp/hcl/v2"
)

// InitialSyncRowLimit is the documented limit of a service initial sync:
// rows per run per legal entity [D].
const InitialSyncRowLimit = 500000

// systemColumns are Dataverse columns the platform fills itself: never a
// mandatory column a map must fill.
var systemColumns = []string{"ownerid", "owneridtype", "statecode", "statuscode", "createdon", "modifiedon",
	"createdby", "modifiedby", "owningbusinessunit", "owningteam", "owninguser", "versionnumber", "transactioncurrencyid"}

// ValidateLive checks the configuration against the metadata and counts a
// live read collected (Live.DataverseTables, Live.FinOpsTables and the
// per-company counts): the checks of DESIGN §3 that need the services,
// each citing the service's rule code.
func ValidateLive(cfg *config.Config, lives map[string]*Live) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, addr := range sortedKeys(cfg.TableMaps) {
		m := cfg.TableMaps[addr]
		if l := lives[m.Link.Name]; l != nil {
			diags = append(diags, validateMap(cfg, m, l)...)
		}
	}
	for _, addr := range sortedKeys(cfg.IntegrationKeys) {
		k := cfg.IntegrationKeys[addr]
		if l := lives[k.Link.Name]; l != nil {
			diags = append(diags, validateKey(k, l)...)
		}
	}
	diags = append(diags, UnknownLegalEntities(cfg, lives)...)
	diags = append(diags, UnknownTeams(cfg, lives)...)
	diags = append(diags, HealthChecks(cfg, lives)...)
	return append(diags, cfg.CheckAutoNumberLengths(maxLengthIn(lives))...)
}

// maxLengthIn looks up a Dataverse column's MaxLength in the metadata read
// for the links.
func maxLengthIn(lives map[string]*Live) func(table, column string) (int, bool) {
	return func(table, col string) (int, bool) {
		for _, name := range sortedKeys(lives) {
			t, ok := lives[name].DataverseTables[strings.ToLower(table)]
			if !ok {
				continue
			}
			if c, ok := column(t, col); ok && c.MaxLength > 0 {
				return c.MaxLength, true
			}
		}
		return 0, false
	}
}

func liveDiag(sev hcl.DiagnosticSeverity, rng hcl.Range, summary, format string, args ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: rng.Ptr()}
}

// validateMap checks one map's tables, columns, types, mandatory and
// read-only destinations and the initial-sync row limit.
func validateMap(cfg *config.Config, m *config.TableMap, l *Live) hcl.Diagnostics {
	fo, foOK := l.FinOpsTables[strings.ToLower(m.FinOps)]
	dv, dvOK := l.dataverseBySet(m.Dataverse)
	var diags hcl.Diagnostics
	if !foOK {
		diags = append(diags, liveDiag(hcl.DiagError, m.DeclRange, "Unknown F&O entity",
			"DIPV1018: %s names the F&O entity %q, which the F&O environment does not publish (public collection names, such as CustomersV3).", m.Address, m.FinOps))
	}
	if !dvOK {
		diags = append(diags, liveDiag(hcl.DiagError, m.DeclRange, "Unknown Dataverse table",
			"DIPV1020: %s names the Dataverse entity set %q, which the Dataverse environment does not have (entity set names, such as accounts).%s",
			m.Address, m.Dataverse, hint(l, m.Dataverse, "a map names its Dataverse side by entity set name")))
	}
	if !foOK || !dvOK {
		return diags
	}
	for _, f := range m.Fields {
		diags = append(diags, validateField(m, f, fo, dv)...)
	}
	diags = append(diags, companyScope(m, fo, dv)...)
	diags = append(diags, mandatory(m, fo, dv)...)
	diags = append(diags, filterColumns(cfg, m, fo, dv)...)
	return append(diags, rowLimit(m, l)...)
}

// companyScope checks that both sides of a map are company-specific or
// both are global (DIPV1002 [faq]): an F&O entity is company-specific when
// dataAreaId is part of its key, a Dataverse table when a lookup column
// points at cdm_company.
func companyScope(m *config.TableMap, fo, dv providers.Table) hcl.Diagnostics {
	foCompany, dvCompany := fo.CompanySpecific(), dv.CompanyLookup()
	switch {
	case foCompany && dvCompany == "":
		return hcl.Diagnostics{liveDiag(hcl.DiagError, m.DeclRange, "Company-specific entity mapped to a global table",
			"DIPV1002: the F&O entity %s is company-specific (keyed by dataAreaId) but the Dataverse table %s has no company lookup to cdm_company, so dual-write rejects the map. "+
				"Map it to a company-specific table, or make %s company-specific (an N:1 relationship to cdm_company in its alternate key).", fo.EntitySetName, dv.LogicalName, dv.LogicalName)}
	case !foCompany && dvCompany != "":
		return hcl.Diagnostics{liveDiag(hcl.DiagError, m.DeclRange, "Global entity mapped to a company-specific table",
			"DIPV1002: the F&O entity %s is global (no dataAreaId in its key) but the Dataverse table %s is company-specific (%s looks up cdm_company), so dual-write rejects the map. "+
				"Map a company-specific entity, or a global Dataverse table.", fo.EntitySetName, dv.LogicalName, dvCompany)}
	}
	return nil
}

// column finds a column without regard to case.
func column(t providers.Table, name string) (providers.Column, bool) {
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return providers.Column{}, false
}

// dvColumn is the Dataverse column a field path starts with ("x.y" → x).
func dvColumn(path string) string {
	name, _, _ := strings.Cut(path, ".")
	return name
}

func validateField(m *config.TableMap, f *config.Field, fo, dv providers.Table) hcl.Diagnostics {
	var diags hcl.Diagnostics
	foc, foOK := column(fo, f.FinOps)
	dvc, dvOK := column(dv, dvColumn(f.Dataverse))
	if f.FinOps != "" && !foOK {
		diags = append(diags, liveDiag(hcl.DiagError, f.DeclRange, "Unknown F&O field",
			"DIPV1025: the F&O entity %s has no field %q.", fo.EntitySetName, f.FinOps))
	}
	if f.Dataverse != "" && !dvOK {
		diags = append(diags, liveDiag(hcl.DiagError, f.DeclRange, "Unknown Dataverse column",
			"DIPV1022: the Dataverse table %s has no column %q.", dv.LogicalName, dvColumn(f.Dataverse)))
	}
	toDV := f.Direction == config.Both || f.Direction == config.ToDataverse
	toFO := f.Direction == config.Both || f.Direction == config.ToFinOps
	if dvOK && toDV && dvc.ReadOnly {
		diags = append(diags, liveDiag(hcl.DiagError, f.DeclRange, "Read-only destination column",
			"DIPV1011: %s writes the Dataverse column %s, which is read-only; map it to_finops only.", m.Address, dvc.Name))
	}
	if foOK && toFO && foc.ReadOnly {
		diags = append(diags, liveDiag(hcl.DiagError, f.DeclRange, "Read-only destination field",
			"DIPV1011: %s writes the F&O field %s, which is read-only; map it to_dataverse only.", m.Address, foc.Name))
	}
	if foOK && dvOK && !strings.Contains(f.Dataverse, ".") && len(f.ValueMap) == 0 {
		if a, b := family(foc.Type), family(dvc.Type); a != "" && b != "" && a != b && !compatible(a, b) {
			diags = append(diags, liveDiag(hcl.DiagError, f.DeclRange, "Type mismatch",
				"DIPV1030: the F&O field %s is %s but the Dataverse column %s is %s; add a value_map or map columns of one type.", foc.Name, foc.Type, dvc.Name, dvc.Type))
		}
	}
	return diags
}

// family groups the service types that map onto each other.
func family(t string) string {
	switch strings.ToLower(t) {
	case "string", "memo", "entityname":
		return "text"
	case "int", "int32", "int64", "integer", "bigint", "real", "decimal", "double", "money":
		return "number"
	case "enum", "picklist", "state", "status", "boolean", "noyes":
		return "choice"
	case "date", "utcdatetime", "datetime":
		return "datetime"
	case "guid", "uniqueidentifier":
		return "guid"
	}
	return ""
}

// compatible reports the cross-family pairs the service converts: choice
// values are numbers on the Dataverse side.
func compatible(a, b string) bool {
	pair := []string{a, b}
	slices.Sort(pair)
	return pair[0] == "choice" && pair[1] == "number"
}

// mandatory reports required destination columns that no field fills,
// on each side the map writes.
func mandatory(m *config.TableMap, fo, dv providers.Table) hcl.Diagnostics {
	var diags hcl.Diagnostics
	dvFilled, foFilled := map[string]bool{}, map[string]bool{}
	for _, f := range m.Fields {
		if f.Direction != config.ToFinOps && f.Dataverse != "" {
			dvFilled[strings.ToLower(dvColumn(f.Dataverse))] = true
		}
		if f.Direction != config.ToDataverse && f.FinOps != "" {
			foFilled[strings.ToLower(f.FinOps)] = true
		}
	}
	for _, c := range dv.Columns {
		n := strings.ToLower(c.Name)
		if len(dvFilled) > 0 && c.Required && !c.ReadOnly && !dvFilled[n] && n != strings.ToLower(dv.PrimaryID) &&
			!slices.Contains(systemColumns, n) && n != "msdyn_company" {
			diags = append(diags, liveDiag(hcl.DiagError, m.DeclRange, "Mandatory column not mapped",
				"DIPV1010: the Dataverse column %s.%s is required but no field of %s writes it; map it, or give it a constant (field \"\" %q { default = ... }, DIPV1031).", dv.LogicalName, c.Name, m.Address, c.Name))
		}
	}
	for _, c := range fo.Columns {
		n := strings.ToLower(c.Name)
		if len(foFilled) > 0 && c.Required && !c.ReadOnly && !foFilled[n] && n != "dataareaid" {
			diags = append(diags, liveDiag(hcl.DiagError, m.DeclRange, "Mandatory field not mapped",
				"DIPV1010: the F&O field %s.%s is required but no field of %s writes it; map it, or give it a constant (field %q \"\" { default = ... }, DIPV1031).", fo.EntitySetName, c.Name, m.Address, c.Name))
		}
	}
	return diags
}

// rowLimit warns when a service initial sync would pass the documented
// rows per company.
func rowLimit(m *config.TableMap, l *Live) hcl.Diagnostics {
	is := m.InitialSync
	if is == nil || !is.Enabled || is.Mode == "dwctl" {
		return nil
	}
	var diags hcl.Diagnostics
	for _, k := range sortedKeys(l.RowCounts) {
		parts := strings.Split(k, ":")
		if len(parts) == 3 && parts[0] == "finops" && strings.EqualFold(parts[1], m.FinOps) && l.RowCounts[k] > InitialSyncRowLimit {
			diags = append(diags, liveDiag(hcl.DiagError, is.DeclRange, "Initial sync over the service's limit",
				"%s would copy %s rows of company %s in one service initial sync; the service handles at most %s rows per company and run. Use mode = \"dwctl\".",
				m.Address, Thousands(l.RowCounts[k]), parts[2], Thousands(InitialSyncRowLimit)))
		}
	}
	return diags
}

// validateKey checks that an integration key is an alternate key of its
// table (health check 5100).
func validateKey(k *config.IntegrationKey, l *Live) hcl.Diagnostics {
	t, ok := l.DataverseTables[strings.ToLower(k.Table)]
	if !ok {
		return hcl.Diagnostics{liveDiag(hcl.DiagError, k.DeclRange, "Unknown Dataverse table",
			"DIPV1003: %s names the Dataverse table %q, which the Dataverse environment does not have (logical names, such as account).%s",
			k.Address, k.Table, hint(l, k.Table, "an integration key names its table by logical name"))}
	}
	var want []string
	for _, c := range k.Columns {
		want = append(want, strings.ToLower(dvColumn(c)))
	}
	slices.Sort(want)
	for _, ak := range t.Keys {
		got := lowerAll(ak.Columns)
		slices.Sort(got)
		if slices.Equal(got, want) {
			return nil
		}
	}
	return hcl.Diagnostics{liveDiag(hcl.DiagError, k.ColumnsRange, "Integration key is not an alternate key",
		"Health check 5100: the columns of %s are not an alternate key of %s; define an alternate key with exactly these columns in Dataverse first.", k.Address, t.LogicalName)}
}

// dataverseBySet finds a Dataverse table by entity set name.
func (l *Live) dataverseBySet(set string) (providers.Table, bool) {
	for _, t := range l.DataverseTables {
		if strings.EqualFold(t.EntitySetName, set) {
			return t, true
		}
	}
	return providers.Table{}, false
}

// hint suggests the right form of a Dataverse name written in the wrong one.
func hint(l *Live, name, rule string) string {
	if right, ok := l.NameHints[strings.ToLower(name)]; ok {
		return fmt.Sprintf(" Did you mean %q? %s.", right, strings.ToUpper(rule[:1])+rule[1:])
	}
	return ""
}
