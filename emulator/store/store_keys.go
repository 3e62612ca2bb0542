package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// cache records t in the in-memory metadata maps.
func (s *Store) cache(t *Table) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tables[t.Service][strings.ToLower(t.Name)] = t
	set := t.EntitySet
	if t.Service == FinOps {
		set = strings.ToLower(set)
	}
	s.sets[t.Service][set] = t
}

// PutTable stores the metadata of a table (replacing any earlier definition of the same name).
func (s *Store) PutTable(ctx context.Context, t *Table) error {
	def, err := json.Marshal(t)
	if err != nil {
		return err
	}
	err = s.Update(ctx, func(ctx context.Context) error {
		_, err := s.q(ctx).ExecContext(ctx, `INSERT OR REPLACE INTO tables (svc, name, def) VALUES (?,?,?)`,
			string(t.Service), strings.ToLower(t.Name), string(def))
		return err
	})
	if err == nil {
		s.cache(t)
	}
	return err
}

// Table returns the table of svc by logical (Dataverse) or entity (F&O) name, case-insensitively.
func (s *Store) Table(svc Service, name string) (*Table, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.tables[svc][strings.ToLower(name)]
	return t, ok
}

// TableBySet returns the table of svc by entity set name: exactly for Dataverse (its routing is
// case-sensitive), case-insensitively for F&O.
func (s *Store) TableBySet(svc Service, set string) (*Table, bool) {
	if svc == FinOps {
		set = strings.ToLower(set)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.sets[svc][set]
	return t, ok
}

// Tables returns every table of svc ordered by name.
func (s *Store) Tables(svc Service) []*Table {
	s.mu.RLock()
	out := make([]*Table, 0, len(s.tables[svc]))
	for _, t := range s.tables[svc] {
		out = append(out, t)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupKey returns the id of the row of t whose values of the key equal values (column → value, in the
// stored JSON form), using the key index. It reports false when no row matches.
func (s *Store) LookupKey(ctx context.Context, t *Table, k *Key, values map[string]any) (string, bool, error) {
	v, ok := KeyValue(t, k, values)
	if !ok {
		return "", false, nil
	}
	var id string
	err := s.q(ctx).QueryRowContext(ctx, `SELECT id FROM keyindex WHERE svc=? AND tbl=? AND keyname=? AND value=?`,
		string(t.Service), t.Name, k.LogicalName(), v).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return id, err == nil, err
}

// index replaces the key index entries of row after checking that no other row holds its key values.
func (s *Store) index(ctx context.Context, t *Table, row Row) error {
	if t.Service != Dataverse {
		return nil
	}
	q := s.q(ctx)
	if _, err := q.ExecContext(ctx, `DELETE FROM keyindex WHERE svc=? AND tbl=? AND id=?`, string(t.Service), t.Name, row.ID); err != nil {
		return err
	}
	for i := range t.Keys {
		k := &t.Keys[i]
		if k.Status != KeyActive {
			continue
		}
		if err := s.indexOne(ctx, t, k, row); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) indexOne(ctx context.Context, t *Table, k *Key, row Row) error {
	v, ok := KeyValue(t, k, row.Data)
	if !ok {
		return nil
	}
	var other string
	err := s.q(ctx).QueryRowContext(ctx, `SELECT id FROM keyindex WHERE svc=? AND tbl=? AND keyname=? AND value=?`,
		string(t.Service), t.Name, k.LogicalName(), v).Scan(&other)
	if err == nil && other != row.ID {
		return &KeyConflictError{Table: t.Name, Key: k.SchemaName, Columns: k.Columns, ExistingID: other}
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err = s.q(ctx).ExecContext(ctx, `INSERT OR REPLACE INTO keyindex (svc, tbl, keyname, value, id) VALUES (?,?,?,?,?)`,
		string(t.Service), t.Name, k.LogicalName(), v, row.ID)
	return err
}

// BuildKeyIndex (re)builds the index of key k over every row of t. It returns a *KeyConflictError when
// existing rows hold duplicate values (the key then fails to activate), leaving no partial index.
func (s *Store) BuildKeyIndex(ctx context.Context, t *Table, k *Key) error {
	return s.Update(ctx, func(ctx context.Context) error {
		if _, err := s.q(ctx).ExecContext(ctx, `DELETE FROM keyindex WHERE svc=? AND tbl=? AND keyname=?`,
			string(t.Service), t.Name, k.LogicalName()); err != nil {
			return err
		}
		return s.Scan(ctx, t.Service, t.Name, "", func(r Row) (bool, error) {
			return true, s.indexOne(ctx, t, k, r)
		})
	})
}

// DropKeyIndex removes the index of key k of t.
func (s *Store) DropKeyIndex(ctx context.Context, t *Table, k *Key) error {
	return s.Update(ctx, func(ctx context.Context) error {
		_, err := s.q(ctx).ExecContext(ctx, `DELETE FROM keyindex WHERE svc=? AND tbl=? AND keyname=?`,
			string(t.Service), t.Name, k.LogicalName())
		return err
	})
}

// KeyValue is the canonical index value of a key over data; false when a part is null or empty
// (such rows are not indexed, so they never collide [I]).
func KeyValue(t *Table, k *Key, data map[string]any) (string, bool) {
	parts := make([]string, len(k.Columns))
	for i, col := range k.Columns {
		name := col
		if c, ok := t.Column(col); ok && IsLookup(c.Type) {
			name = LookupValueName(c.Name)
		}
		v, ok := data[name]
		if !ok || v == nil || v == "" {
			return "", false
		}
		parts[i] = CanonicalKeyPart(v)
	}
	return strings.Join(parts, "\x1f"), true
}

// CanonicalKeyPart renders a key value the way the services compare them: strings case-insensitively.
func CanonicalKeyPart(v any) string {
	switch x := v.(type) {
	case string:
		return strings.ToLower(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		return strings.ToLower(fmt.Sprint(x))
	}
}

// FinOpsID is the stored id of an F&O row: the canonical values of the entity key, in key order.
func FinOpsID(t *Table, data map[string]any) (string, error) {
	if len(t.Keys) == 0 {
		return "", fmt.Errorf("entity %s has no key", t.EntitySet)
	}
	parts := make([]string, len(t.Keys[0].Columns))
	for i, col := range t.Keys[0].Columns {
		v, ok := LookupFold(data, col)
		if !ok || v == nil {
			return "", fmt.Errorf("key field %s of %s is missing", col, t.EntitySet)
		}
		parts[i] = CanonicalKeyPart(v)
	}
	return strings.Join(parts, "\x1f"), nil
}

// LookupFold finds a map entry case-insensitively (F&O property names are case-insensitive).
func LookupFold(data map[string]any, name string) (any, bool) {
	if v, ok := data[name]; ok {
		return v, true
	}
	for k, v := range data {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}
