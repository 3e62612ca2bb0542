package tables

import "github.com/dwctl/dwctl/emulator/store"

// All returns the metadata of every table a new pair starts with: the Dataverse tables, then the
// F&O public data entities.
func All() []*store.Table {
	return append(dataverseSeedTables(), finOpsSeedTables()...)
}

// String is a text column of at most max characters.
func String(name string, max int) store.Column { return str(name, max) }

// Required marks c as business-required.
func Required(c store.Column) store.Column { return req(c) }

// DataverseTable declares a user- or team-owned Dataverse table with its primary id, its primary
// name column and the system columns; company adds the msdyn_company lookup.
func DataverseTable(logical, set, label string, primaryName store.Column, company bool, cols ...store.Column) *store.Table {
	return dvTable(logical, set, label, primaryName, company, cols...)
}
