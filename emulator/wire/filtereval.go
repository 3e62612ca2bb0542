package wire

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/filter"
)

// RowFilter evaluates a $filter against stored rows. It is the one seam between the emulator and the
// filter package.
type RowFilter interface {
	Match(ctx context.Context, data map[string]any) (bool, error)
}

// compileFilter parses src as a $filter of t's service: the Dataverse Web API dialect or the F&O
// OData dialect (F&O's /data/ endpoint speaks OData, not X++). Unknown columns are refused with 400
// like the services do.
func CompileFilter(st *store.Store, t *store.Table, src string) (RowFilter, *Error) {
	var expr filter.Expr
	var diags []filter.Diagnostic
	if t.Service == store.Dataverse {
		expr, diags = filter.ParseWebAPI(src)
	} else {
		expr, diags = filter.ParseFinOpsOData(src)
	}
	if filter.HasErrors(diags) || expr == nil {
		msg := "Invalid $filter."
		for _, d := range diags {
			if d.Severity == filter.Error {
				msg = "Invalid $filter: " + d.Error()
				break
			}
		}
		return nil, NewError(http.StatusBadRequest, CodeBadRequest, "%s", msg)
	}
	for _, c := range expr.Columns() {
		if !columnKnown(st, t, c.Name) {
			return nil, UnknownProperty(t, c.Name)
		}
	}
	return &exprFilter{st: st, t: t, expr: expr}, nil
}

// UnknownProperty is the 400 both services give for a column the entity does not have.
func UnknownProperty(t *store.Table, name string) *Error {
	if t.Service == store.FinOps {
		return NewError(http.StatusBadRequest, "", "Could not find a property named '%s' on type 'Microsoft.Dynamics.DataEntities.%s'.", name, t.Name)
	}
	return NewError(http.StatusBadRequest, CodeInvalidProperty, "Could not find a property named '%s' on type 'Microsoft.Dynamics.CRM.%s'.", name, t.Name)
}

func columnKnown(st *store.Store, t *store.Table, name string) bool {
	head, rest, nav := strings.Cut(name, "/")
	if nav {
		c, ok := t.Column(head)
		if !ok || !store.IsLookup(c.Type) || len(c.Targets) == 0 {
			return false
		}
		target, ok := st.Table(store.Dataverse, c.Targets[0])
		return ok && columnKnown(st, target, rest)
	}
	return ColumnReadable(t, name)
}

// ColumnReadable reports whether name is a readable property of t: a column, the _x_value form of a
// Dataverse lookup, or the versionnumber/primary id.
func ColumnReadable(t *store.Table, name string) bool {
	if t.Service == store.Dataverse && t.PrimaryID != "" && name == t.PrimaryID {
		return true
	}
	if c, ok := t.Column(name); ok {
		return !store.IsLookup(c.Type)
	}
	if strings.HasPrefix(name, "_") && strings.HasSuffix(name, "_value") {
		c, ok := t.Column(strings.TrimSuffix(strings.TrimPrefix(name, "_"), "_value"))
		return ok && store.IsLookup(c.Type)
	}
	return false
}

type exprFilter struct {
	st   *store.Store
	t    *store.Table
	expr filter.Expr
}

func (f *exprFilter) Match(ctx context.Context, data map[string]any) (bool, error) {
	return f.expr.Eval(&filterRow{ctx: ctx, st: f.st, t: f.t, data: data})
}

// filterRow adapts a stored row to filter.Row (and filter.EnumRow for F&O enums). Date-time columns
// are handed over as time.Time; Dataverse navigation paths (lookup/column) are followed in the store.
type filterRow struct {
	ctx  context.Context
	st   *store.Store
	t    *store.Table
	data map[string]any
}

// Value returns a column of the row (filter.Row).
func (r *filterRow) Value(column string) (any, bool) {
	if head, rest, nav := strings.Cut(column, "/"); nav {
		return r.navigate(head, rest)
	}
	v, ok := r.data[column]
	if !ok {
		v, ok = store.LookupFold(r.data, column)
	}
	if s, isStr := v.(string); isStr {
		if c, found := r.t.Column(column); found && (c.Type == store.TypeDateTime || c.Type == store.TypeDate) {
			if tm, err := time.Parse(time.RFC3339, s); err == nil {
				return tm, true
			}
		}
	}
	return v, ok
}

func (r *filterRow) navigate(nav, rest string) (any, bool) {
	c, ok := r.t.Column(nav)
	if !ok || len(c.Targets) == 0 {
		return nil, false
	}
	id, _ := r.data[store.LookupValueName(c.Name)].(string)
	target, ok := r.st.Table(store.Dataverse, c.Targets[0])
	if id == "" || !ok {
		return nil, true
	}
	row, found, err := r.st.Get(r.ctx, store.Dataverse, target.Name, id)
	if err != nil || !found {
		return nil, true
	}
	return (&filterRow{ctx: r.ctx, st: r.st, t: target, data: row.Data}).Value(rest)
}

// EnumValue returns the integer value of an F&O enum member named name in column.
func (r *filterRow) EnumValue(column, name string) (int64, bool) {
	c, ok := r.t.Column(column)
	if !ok {
		return 0, false
	}
	for _, o := range c.Options {
		if strings.EqualFold(o.Label, name) {
			return int64(o.Value), true
		}
	}
	return 0, false
}

// FilterEvalError is the answer for a $filter that failed while rows were evaluated.
func FilterEvalError(err error) *Error {
	if ae, ok := err.(*Error); ok {
		return ae
	}
	return NewError(http.StatusBadRequest, CodeBadRequest, "The query could not be evaluated: %v", err)
}
