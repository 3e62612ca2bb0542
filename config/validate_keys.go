package config

// checkIntegrationKeys checks one key per table and link, and that every map
// on the key's table maps each key column (both ways when the map has a
// bidirectional field), except the implicit company column.
func (l *loader) checkIntegrationKeys() {
	seen := map[string]*IntegrationKey{}
	maps := l.mapsByTable()
	for _, k := range bySource(l.cfg.IntegrationKeys) {
		if k.Link == nil {
			continue
		}
		id := k.Link.Name + "\x00" + k.Table
		if prev, ok := seen[id]; ok {
			l.errorf(k.DeclRange, "Duplicate integration key",
				"%s and %s both set the integration key of table %s; a table has one key per link.", k.Address, prev.Address, k.Table)
			continue
		}
		seen[id] = k
		for _, m := range maps[tableKey{k.Link, EntitySetName(k.Table)}] {
			l.checkKeyMapped(k, m)
		}
	}
}

// tableKey names a Dataverse table (by entity set name) on a link.
type tableKey struct {
	link      *Link
	entitySet string
}

// mapsByTable indexes the table maps by link and Dataverse table, in
// source order.
func (l *loader) mapsByTable() map[tableKey][]*TableMap {
	out := map[tableKey][]*TableMap{}
	for _, m := range bySource(l.cfg.TableMaps) {
		k := tableKey{m.Link, m.Dataverse}
		out[k] = append(out[k], m)
	}
	return out
}

func (l *loader) checkKeyMapped(k *IntegrationKey, m *TableMap) {
	bidirectional := false
	for _, f := range m.Fields {
		bidirectional = bidirectional || f.Direction == Both
	}
	for _, col := range k.Columns {
		if IsCompanyColumn(col) {
			continue
		}
		f := fieldTo(m, col)
		switch {
		case f == nil:
			l.errorf(m.DeclRange, "Integration key column not mapped",
				"The integration key of %s includes %s, but %s does not map it [DIPV1014]. Add field \"FOFIELD\" %q {}.",
				k.Table, col, m.Address, col)
		case bidirectional && f.Direction != Both:
			l.errorf(f.DeclRange, "Integration key column mapped one way",
				"%s has bidirectional fields, so every integration key column must be mapped both ways; %s is %s [DIPV1004].",
				m.Address, col, f.Direction)
		}
	}
}

// fieldTo returns the field of m that maps Dataverse column col.
func fieldTo(m *TableMap, col string) *Field {
	for _, f := range m.Fields {
		if f.Dataverse == col {
			return f
		}
	}
	return nil
}

// checkMapFields checks each map's fields: a destination written twice,
// and the lookup limit of the service's initial sync.
func (l *loader) checkMapFields() {
	for _, m := range bySource(l.cfg.TableMaps) {
		toDV, toFO := map[string]*Field{}, map[string]*Field{}
		lookups := 0
		for _, f := range m.Fields {
			if f.Dataverse != "" && f.Direction != ToFinOps {
				l.checkDestination(m, f, f.Dataverse, "Dataverse column", toDV, "DIPV1026")
			}
			if f.FinOps != "" && f.Direction != ToDataverse {
				l.checkDestination(m, f, f.FinOps, "F&O field", toFO, "DIPV1023")
			}
			if isLookup(f.Dataverse) && f.Direction != ToDataverse {
				lookups++
			}
		}
		is := m.InitialSync
		if is != nil && is.Enabled && is.Mode == "service" && lookups >= MaxServiceSyncLookups {
			l.warnf(is.DeclRange, "Initial sync from Dataverse with too many lookups",
				"%s writes %d lookups into F&O; the service's initial sync from Dataverse is not supported for maps with %d or more lookups. Use mode = \"dwctl\", or run it with fewer lookups first.",
				m.Address, lookups, MaxServiceSyncLookups)
		}
	}
}

func (l *loader) checkDestination(m *TableMap, f *Field, name, what string, seen map[string]*Field, code string) {
	if prev, ok := seen[name]; ok {
		l.errorf(f.DeclRange, "Destination mapped twice",
			"The %s %s is written by two fields of %s (the other at line %d) [%s]. Map it once.",
			what, name, m.Address, prev.DeclRange.Start.Line, code)
		return
	}
	seen[name] = f
}

func isLookup(col string) bool {
	for _, r := range col {
		if r == '.' {
			return true
		}
	}
	return false
}
