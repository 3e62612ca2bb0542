package tables

import (
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// Column builders for the seed metadata.

func str(name string, max int) store.Column {
	return store.Column{Name: name, Type: store.TypeString, MaxLength: max}
}
func memo(name string) store.Column {
	return store.Column{Name: name, Type: store.TypeMemo, MaxLength: 2000}
}
func integer(name string) store.Column { return store.Column{Name: name, Type: store.TypeInteger} }
func money(name string) store.Column {
	return store.Column{Name: name, Type: store.TypeMoney, Precision: 2}
}
func decimal(name string, p int) store.Column {
	return store.Column{Name: name, Type: store.TypeDecimal, Precision: p}
}
func boolean(name string) store.Column { return store.Column{Name: name, Type: store.TypeBoolean} }
func double(name string) store.Column {
	return store.Column{Name: name, Type: store.TypeDouble, Precision: 5}
}
func datetime(name string) store.Column { return store.Column{Name: name, Type: store.TypeDateTime} }
func lookup(name string, targets ...string) store.Column {
	return store.Column{Name: name, Type: store.TypeLookup, Targets: targets}
}
func picklist(name string, opts ...store.Option) store.Column {
	return store.Column{Name: name, Type: store.TypePicklist, Options: opts}
}
func req(c store.Column) store.Column  { c.Required = true; return c }
func ro(c store.Column) store.Column   { c.ReadOnly = true; return c }
func opt(v int, l string) store.Option { return store.Option{Value: v, Label: l} }

// enum is an F&O enum column; members are numbered from 0 unless given as "Name=Value".
func enum(name, typ string, members ...string) store.Column {
	c := store.Column{Name: name, Type: store.TypeEnum, EnumType: typ}
	for i, m := range members {
		n, v := m, i
		if a, b, ok := strings.Cut(m, "="); ok {
			n, v = a, AtoiOr(b, i)
		}
		c.Options = append(c.Options, store.Option{Value: v, Label: n})
	}
	return c
}

func noYes(name string) store.Column { return enum(name, "NoYes", "No", "Yes") }
func foInt(name string) store.Column { return store.Column{Name: name, Type: store.TypeInt64} }
func foReal(name string) store.Column {
	return store.Column{Name: name, Type: store.TypeReal, Precision: 6}
}
func foDate(name string) store.Column { return store.Column{Name: name, Type: store.TypeDateTime} }

// AtoiOr parses s as a decimal integer, or returns def.
func AtoiOr(s string, def int) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return def
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// dvTable builds a Dataverse table with the columns every table has: primary key, primary name,
// statecode/statuscode, createdon/modifiedon, versionnumber, and — when company-specific — the
// msdyn_company lookup to cdm_company.
func dvTable(logical, set, lbl string, primaryName store.Column, company bool, cols ...store.Column) *store.Table {
	t := &store.Table{Service: store.Dataverse, Name: logical, EntitySet: set, Label: lbl, PrimaryID: logical + "id",
		PrimaryName: primaryName.Name, MetadataID: wire.StableGUID("dv:" + logical), OwnershipType: "UserOwned", ChangeTracking: true}
	all := []store.Column{primaryName}
	all = append(all, cols...)
	if company {
		t.CompanyColumn = "msdyn_company"
		all = append(all, lookup("msdyn_company", "cdm_company"))
	}
	all = append(all, store.Column{Name: "statecode", Type: store.TypeState, Options: []store.Option{opt(0, "Active"), opt(1, "Inactive")}}, store.Column{Name: "statuscode", Type: store.TypeStatus, Options: []store.Option{opt(1, "Active"), opt(2, "Inactive")}}, ro(datetime("createdon")), ro(datetime("modifiedon")), ro(store.Column{Name: "versionnumber", Type: store.TypeBigInt}))
	for i := range all {
		all[i].MetadataID = wire.StableGUID("dv:" + logical + "." + all[i].Name)
	}
	t.Columns = all
	return t
}

// withKey adds an Active alternate key.
func withKey(t *store.Table, schema string, cols ...string) *store.Table {
	t.Keys = append(t.Keys, store.Key{SchemaName: schema, MetadataID: wire.StableGUID("key:" + t.Name + "." + schema), Columns: cols, Status: store.KeyActive})
	return t
}

// refTable is the shape of the msdyn_* reference tables of the dual-write solutions: a code column
// (the integration key, with the company when company-specific) and a description [I: column names
// beyond those the map pages name are modelled on the published maps].
func refTable(logical, set, lbl, code string, company bool, extra ...store.Column) *store.Table {
	cols := append([]store.Column{str("msdyn_description", 100)}, extra...)
	t := dvTable(logical, set, lbl, req(str(code, 50)), company, cols...)
	keyCols := []string{code}
	if company {
		keyCols = append(keyCols, "msdyn_company")
	}
	return withKey(t, keySchema(logical), keyCols...)
}

// foEntity builds an F&O public data entity; company-specific entities get dataAreaId first in the key.
func foEntity(name, set, lbl string, company bool, key []string, cols ...store.Column) *store.Table {
	t := &store.Table{Service: store.FinOps, Name: name, EntitySet: set, Label: lbl, MetadataID: wire.StableGUID("fo:" + name)}
	if company {
		t.CompanyColumn = "dataAreaId"
		cols = append([]store.Column{req(str("dataAreaId", 4))}, cols...)
		key = append([]string{"dataAreaId"}, key...)
	}
	for i := range cols {
		cols[i].MetadataID = wire.StableGUID("fo:" + name + "." + cols[i].Name)
		for _, k := range key {
			if k == cols[i].Name {
				cols[i].Required = true
			}
		}
	}
	t.Columns = cols
	t.Keys = []store.Key{{SchemaName: "EntityKey", MetadataID: wire.StableGUID("fokey:" + name), Columns: key, Status: store.KeyActive}}
	return t
}

// keySchema names a seeded key after its table: msdyn_customergroup → msdyn_CustomergroupKey.
func keySchema(logical string) string {
	prefix, rest, ok := strings.Cut(logical, "_")
	if !ok {
		return strings.ToUpper(logical[:1]) + logical[1:] + "Key"
	}
	return prefix + "_" + strings.ToUpper(rest[:1]) + rest[1:] + "Key"
}
