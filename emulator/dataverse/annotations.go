package dataverse

import (
	"context"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// Annotation names Dataverse adds when Prefer: odata.include-annotations asks for them [D].
const (
	annFormatted  = "OData.Community.Display.V1.FormattedValue"
	annLogical    = "Microsoft.Dynamics.CRM.lookuplogicalname"
	annNavigation = "Microsoft.Dynamics.CRM.associatednavigationproperty"
)

// annotationFilter says which annotations a request asked for: "*", a comma list, or a prefix with *.
type annotationFilter []string

func requestedAnnotations(prefs map[string]string) annotationFilter {
	v, ok := prefs["odata.include-annotations"]
	if !ok {
		return nil
	}
	return annotationFilter(wire.SplitList(strings.Trim(v, `"`)))
}

func (a annotationFilter) wants(name string) bool {
	for _, p := range a {
		if p == "*" || p == name || (strings.HasSuffix(p, "*") && strings.HasPrefix(name, strings.TrimSuffix(p, "*"))) {
			return true
		}
	}
	return false
}

// annotate adds formatted values of choices, booleans and lookups, and the lookup logical names, to a
// rendered row.
func (dv *Service) annotate(ctx context.Context, t *store.Table, out map[string]any, want annotationFilter) {
	if len(want) == 0 {
		return
	}
	for _, c := range t.Columns {
		switch {
		case store.IsLookup(c.Type):
			dv.annotateLookup(ctx, &c, out, want)
		case len(c.Options) > 0:
			if v, ok := out[c.Name].(float64); ok && want.wants(annFormatted) {
				for _, o := range c.Options {
					if float64(o.Value) == v {
						out[c.Name+"@"+annFormatted] = o.Label
					}
				}
			}
		case c.Type == store.TypeBoolean:
			if v, ok := out[c.Name].(bool); ok && want.wants(annFormatted) {
				out[c.Name+"@"+annFormatted] = map[bool]string{true: "Yes", false: "No"}[v]
			}
		}
	}
}

func (dv *Service) annotateLookup(ctx context.Context, c *store.Column, out map[string]any, want annotationFilter) {
	name := store.LookupValueName(c.Name)
	id, ok := out[name].(string)
	if !ok || id == "" {
		return
	}
	for _, target := range c.Targets {
		tt, ok := dv.store.Table(store.Dataverse, target)
		if !ok {
			continue
		}
		row, found, err := dv.store.Get(ctx, store.Dataverse, tt.Name, id)
		if err != nil || !found {
			continue
		}
		if want.wants(annFormatted) {
			out[name+"@"+annFormatted] = row.Data[tt.PrimaryName]
		}
		if want.wants(annLogical) {
			out[name+"@"+annLogical] = tt.Name
		}
		if want.wants(annNavigation) {
			out[name+"@"+annNavigation] = c.Name
		}
		return
	}
}
