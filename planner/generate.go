package planner

import (
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/dwctl/dwctl/addrs"
	"github.com/dwctl/dwctl/config"
)

// Imported is an object Generate wrote configuration for.
type Imported struct {
	Address string
	Kind    string
}

// Generate writes formatted configuration (hclwrite) for every live
// object the plan lists as not managed — companies, integration keys and
// table maps — so that planning the configuration with it shows no change
// for them. A map gets depends_on from the order the service runs maps in
// (the imported maps it names), and an initial_sync block when the service
// shows an initial sync of it. Maps whose definition could not be read are
// left out and named in skipped.
func Generate(p *Plan, taken map[string]bool) (src []byte, imported []Imported, skipped []string) {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	names := map[string]bool{}
	for k := range taken {
		names[k] = true
	}
	// Map names first, so that depends_on can name maps written later.
	byTemplate := map[string]string{}
	mapNames := map[int]string{}
	for i, n := range p.NotManaged {
		if n.Kind != "table_map" || len(n.Live.Map.Fields) == 0 {
			continue
		}
		name := mapName(n.Live.Map, names)
		names[mapAddress(name)] = true
		mapNames[i] = name
		if n.TemplateID != "" {
			byTemplate[n.TemplateID] = mapAddress(name)
		}
	}
	for i, n := range p.NotManaged {
		var addr string
		switch n.Kind {
		case "company":
			addr = genCompany(body, n)
		case "integration_key":
			addr = genKey(body, n)
		case "table_map":
			name, ok := mapNames[i]
			if !ok {
				skipped = append(skipped, IdentityText(n.Identity))
				continue
			}
			addr = genMap(body, n, name, byTemplate)
		default:
			continue
		}
		names[addr] = true
		imported = append(imported, Imported{Address: addr, Kind: n.Kind})
		body.AppendNewline()
	}
	return hclwrite.Format(f.Bytes()), imported, skipped
}

// GenerateAlerts writes, as comments to paste into the link's block, the
// alert settings of every link whose configuration declares none while
// the service has some: import cannot edit the link block the user wrote.
func GenerateAlerts(cfg *config.Config, lives map[string]*Live) []byte {
	var b strings.Builder
	for _, name := range sortedKeys(lives) {
		l, cl := lives[name], cfg.Links[name]
		if l == nil || cl == nil || len(cl.Alerts) > 0 || len(l.Alerts) == 0 {
			continue
		}
		f := hclwrite.NewEmptyFile()
		for _, a := range l.Alerts {
			ab := f.Body().AppendNewBlock("alert", []string{a.Name}).Body()
			ab.SetAttributeValue("errors", strList(a.Errors))
			ab.SetAttributeValue("threshold", cty.ObjectVal(map[string]cty.Value{
				"count": cty.NumberIntVal(int64(a.Count)), "within": cty.StringVal(a.Within.String())}))
			ab.SetAttributeValue("action", cty.StringVal(a.Action))
			ab.SetAttributeValue("recipients", strList(a.Recipients))
		}
		fmt.Fprintf(&b, "\n# The alert settings of %s. dwctl manages them once they are in its link block;\n# paste them there (inside link %q { ... }):\n#\n", cl.Addr(), name)
		for _, line := range strings.Split(strings.TrimRight(string(hclwrite.Format(f.Bytes())), "\n"), "\n") {
			b.WriteString(strings.TrimRight("#   "+line, " ") + "\n")
		}
	}
	return []byte(b.String())
}

func linkRef(name string) hcl.Traversal {
	return hcl.Traversal{hcl.TraverseRoot{Name: "link"}, hcl.TraverseAttr{Name: name}}
}

func genCompany(body *hclwrite.Body, n NotManaged) string {
	c := n.Live.Company
	b := body.AppendNewBlock("company", []string{c.ID}).Body()
	b.SetAttributeTraversal("link", linkRef(n.Link))
	b.SetAttributeValue("name", cty.StringVal(c.Name))
	return addrs.NewObject(addrs.Company, c.ID).String()
}

func genKey(body *hclwrite.Body, n NotManaged) string {
	k := n.Live.Key
	b := body.AppendNewBlock("integration_key", []string{k.Table}).Body()
	b.SetAttributeTraversal("link", linkRef(n.Link))
	b.SetAttributeValue("columns", strList(k.Columns))
	return addrs.NewObject(addrs.IntegrationKey, k.Table).String()
}

var nonName = regexp.MustCompile(`[^a-z0-9_]+`)

// mapName makes a table_map label from its two tables, unique among names.
func mapName(m *MapAttrs, names map[string]bool) string {
	base := nonName.ReplaceAllString(strings.ToLower(m.FinOps+"_"+m.Dataverse), "_")
	if base == "" || base[0] < 'a' || base[0] > 'z' {
		base = "map_" + base
	}
	name := base
	for i := 2; names[mapAddress(name)]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	return name
}

func genMap(body *hclwrite.Body, n NotManaged, name string, byTemplate map[string]string) string {
	m := n.Live.Map
	b := body.AppendNewBlock("table_map", []string{name}).Body()
	b.SetAttributeTraversal("link", linkRef(n.Link))
	b.SetAttributeValue("finops", cty.StringVal(m.FinOps))
	b.SetAttributeValue("dataverse", cty.StringVal(m.Dataverse))
	b.SetAttributeValue("state", cty.StringVal(m.State))
	var deps []string
	for _, tid := range n.Prerequisites {
		if addr, ok := byTemplate[tid]; ok && addr != mapAddress(name) && !slices.Contains(deps, addr) {
			deps = append(deps, addr)
		}
	}
	if len(deps) > 0 {
		slices.Sort(deps)
		toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}}
		for i, d := range deps {
			if i > 0 {
				toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(", ")})
			}
			toks = append(toks, hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: "table_map"},
				hcl.TraverseAttr{Name: addrs.NameOf(d)}})...)
		}
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})
		b.SetAttributeRaw("depends_on", toks)
	}
	if n.InitialSyncRan {
		ib := b.AppendNewBlock("initial_sync", nil).Body()
		ib.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment,
			Bytes: []byte("# The service ran an initial sync of this map; it does not say which side was master.\n")}})
		ib.SetAttributeValue("enabled", cty.True)
	}
	if m.FinOpsFilter != "" || m.DataverseFilter != "" {
		fb := b.AppendNewBlock("filter", nil).Body()
		if m.FinOpsFilter != "" {
			fb.SetAttributeValue("finops", cty.StringVal(m.FinOpsFilter))
		}
		if m.DataverseFilter != "" {
			fb.SetAttributeValue("dataverse", cty.StringVal(m.DataverseFilter))
		}
	}
	for _, fa := range m.Fields {
		fb := b.AppendNewBlock("field", []string{fa.FinOps, fa.Dataverse}).Body()
		if fa.FinOps != "" && fa.Dataverse != "" && fa.Direction != "both" {
			fb.SetAttributeValue("direction", cty.StringVal(fa.Direction))
		}
		if len(fa.ValueMap) > 0 {
			fb.SetAttributeValue("value_map", valueMap(fa.ValueMap))
		}
		if fa.Default != nil {
			fb.SetAttributeValue("default", typed(*fa.Default))
		}
	}
	return mapAddress(name)
}

func mapAddress(name string) string { return addrs.NewObject(addrs.TableMap, name).String() }

func strList(vs []string) cty.Value {
	if len(vs) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	out := make([]cty.Value, len(vs))
	for i, v := range vs {
		out[i] = cty.StringVal(v)
	}
	return cty.ListVal(out)
}

// valueMap types a value map's values as the configuration wants them:
// all numbers, all booleans, or strings.
func valueMap(vm map[string]string) cty.Value {
	out := map[string]cty.Value{}
	kind := ""
	for _, v := range vm {
		k := typed(v).Type().FriendlyName()
		if kind == "" || kind == k {
			kind = k
		} else {
			kind = "mixed"
		}
	}
	for k, v := range vm {
		if kind == "mixed" {
			out[k] = cty.StringVal(v)
		} else {
			out[k] = typed(v)
		}
	}
	return cty.ObjectVal(out)
}

// typed reads a stored value as a number or boolean where it is one.
func typed(s string) cty.Value {
	if r, ok := new(big.Rat).SetString(s); ok && s != "" && !strings.ContainsAny(s, "/") {
		f, _ := new(big.Float).SetPrec(512).SetString(r.FloatString(20))
		return cty.NumberVal(f)
	}
	switch s {
	case "true":
		return cty.True
	case "false":
		return cty.False
	}
	return cty.StringVal(s)
}
