package planner

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/state"
	"github.com/hashicorp/hcl/v2"
)

// Options are the choices of one plan (the flags of dwctl plan).
type Options struct {
	// Destroy plans the deletion of every managed object.
	Destroy bool `json:"destroy,omitempty"`
	// RefreshOnly plans no change: it only records drift into state.
	RefreshOnly bool `json:"refresh_only,omitempty"`
	// AllowDestroy lets apply run destructive actions.
	AllowDestroy bool `json:"allow_destroy,omitempty"`
	// Targets limits the plan to these addresses and what they depend on.
	Targets []string `json:"targets,omitempty"`
}

// Plan is what dwctl would do: actions with dependencies, and what the
// reviewer should know besides (drift, objects left alone).
type Plan struct {
	Options Options `json:"options"`
	// Actions in an order that respects DependsOn.
	Actions []*Action `json:"actions"`
	// Objects are the declared objects by address.
	Objects map[string]*Object `json:"objects"`
	// Drift lists managed objects changed outside dwctl since the last apply.
	Drift []Drift `json:"drift"`
	// NotManaged lists live objects nobody declared; they are left alone.
	NotManaged []NotManaged `json:"not_managed"`
	// Forget lists managed objects that are neither declared nor live any
	// more; apply removes them from state.
	Forget []string `json:"forget,omitempty"`
	// Fingerprints are the fingerprints of the live objects read, by
	// address (NotManaged ones by "not_managed " + identity).
	Fingerprints map[string]string `json:"fingerprints"`
}

// Drift is one managed object that changed outside dwctl.
type Drift struct {
	Address string   `json:"address"`
	Changes []Change `json:"changes"`
	// Unchanged counts the top-level attributes that did not change.
	Unchanged int `json:"unchanged,omitempty"`
	// Gone is true when the object disappeared from the environments.
	Gone bool `json:"gone,omitempty"`
}

// NotManaged is a live object that no configuration declares.
type NotManaged struct {
	Kind     string            `json:"kind"`
	Link     string            `json:"link"`
	Identity map[string]string `json:"identity"`
	Live     *Attributes       `json:"live"`
	// For a map: its active template id, the template ids of the maps the
	// service runs before it, and whether the service shows an initial
	// sync of it (what dwctl import writes; read with live's Import).
	TemplateID     string   `json:"-"`
	Prerequisites  []string `json:"-"`
	InitialSyncRan bool     `json:"-"`
}

// binding is a declared object with what was found of it.
type binding struct {
	obj  *Object
	live *liveObject
	// masked is the live attributes masked by what obj manages.
	masked *Attributes
	st     *state.Object
}

// builder holds the work of one Build.
type builder struct {
	cfg   *config.Config
	lives map[string]*Live
	st    *state.State
	opts  Options
	plan  *Plan
	diags hcl.Diagnostics
	byID  map[string]*Action
	// replaced names the links that are reset and linked again; resetWith
	// those of them reset with their new legal entities.
	replaced, resetWith map[string]bool
	// liveMaps are the live maps of the declared table maps, by address.
	liveMaps map[string]*LiveMap
}

// Build computes the plan of cfg against the live snapshots of its links
// (by link name) and the state (nil for none). Diagnostics carry errors
// that make the plan unusable (prevent_destroy, a seed below issued
// numbers) and warnings.
func Build(cfg *config.Config, lives map[string]*Live, st *state.State, opts Options) (*Plan, hcl.Diagnostics) {
	if st == nil {
		st = state.New()
	}
	b := &builder{cfg: cfg, lives: lives, st: st, opts: opts, byID: map[string]*Action{}, replaced: map[string]bool{}, resetWith: map[string]bool{}, liveMaps: map[string]*LiveMap{},
		plan: &Plan{Options: opts, Objects: map[string]*Object{}, Fingerprints: map[string]string{}}}
	binds, removed := b.bindAll()
	b.drift(binds, removed)
	switch {
	case opts.RefreshOnly:
	case opts.Destroy:
		b.planDestroy(append(binds, removed...))
	default:
		b.planChanges(binds, removed)
	}
	b.finish()
	diags := append(append(b.diags, sequenceUsage(cfg, lives)...), gatewayWarnings(cfg, lives)...)
	diags = append(diags, HealthChecks(cfg, lives)...)
	if !opts.Destroy {
		diags = append(diags, UnknownLegalEntities(cfg, lives)...)
		diags = append(diags, UnknownTeams(cfg, lives)...)
	}
	return b.plan, diags
}

// UnknownTeams reports the default owning teams Dataverse has no team
// for: setting them would fail.
func UnknownTeams(cfg *config.Config, lives map[string]*Live) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, addr := range sortedKeys(cfg.Companies) {
		c := cfg.Companies[addr]
		l := lives[c.Link.Name]
		if c.OwningTeam == "" || l == nil || l.Teams == nil || l.Teams[strings.ToLower(c.OwningTeam)] || pluginTeam(c, l) {
			continue
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Owning team that does not exist",
			Detail: fmt.Sprintf("%s: the Dataverse environment %s has no team named %q for the company's default owning team. "+
				"Create the team (an owner team in the company's business unit), or correct the name.", c.Address, l.Endpoints.Dataverse, c.OwningTeam),
			Subject: c.DeclRange.Ptr()})
	}
	return diags
}

// pluginTeam reports whether a company's owning team is the one dual-write's
// plug-in creates with the company ("USMF DW" [D]) for a company Dataverse
// does not have yet: the plan's company creation brings it.
func pluginTeam(c *config.Company, l *Live) bool {
	if !strings.EqualFold(c.OwningTeam, c.ID+" DW") {
		return false
	}
	for _, have := range l.Companies {
		if strings.EqualFold(have.Code, c.ID) {
			return false
		}
	}
	return true
}

// UnknownLegalEntities reports the companies F&O has no legal entity for:
// linking them would fail, so the plan stops before it.
func UnknownLegalEntities(cfg *config.Config, lives map[string]*Live) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, addr := range sortedKeys(cfg.Companies) {
		c := cfg.Companies[addr]
		l := lives[c.Link.Name]
		if l == nil || l.FinOpsLegalEntities == nil || c.CreateLegalEntity || slices.Contains(l.FinOpsLegalEntities, strings.ToUpper(c.ID)) {
			continue
		}
		have := strings.Join(l.FinOpsLegalEntities, ", ")
		if have == "" {
			have = "none"
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Company that is not an F&O legal entity",
			Detail: fmt.Sprintf("%s: the F&O environment %s has no legal entity %s (it has: %s), so dual-write cannot link it. "+
				"Create the legal entity in F&O (Organization administration > Organizations > Legal entities), set create_legal_entity = true "+
				"to have dwctl create it through F&O's LegalEntities entity, or correct the id.",
				c.Address, l.Endpoints.FinOps, c.ID, have),
			Subject: c.DeclRange.Ptr()})
	}
	return diags
}

// gatewayWarnings reports the parts of the control plane's answers that
// dwctl tolerated because planning does not depend on them.
func gatewayWarnings(cfg *config.Config, lives map[string]*Live) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, name := range sortedKeys(lives) {
		l, cl := lives[name], cfg.Links[name]
		if l == nil || cl == nil {
			continue
		}
		for _, w := range l.Warnings {
			rng := cl.DeclRange
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Part of the gateway's answer was not understood",
				Detail: w + ". The dual-write gateway is not a public API; plan and apply do not depend on this part, " +
					"so dwctl goes on. If it matters to you, check it in the dual-write workspace.", Subject: &rng})
		}
	}
	return diags
}

// bindAll matches declared and managed objects with live ones and returns
// the declared bindings and the managed-but-removed ones.
func (b *builder) bindAll() (binds, removed []*binding) {
	objs := desiredObjects(b.cfg, b.lives)
	for _, o := range objs {
		b.plan.Objects[o.Address] = o
	}
	r := bindObjects(objs, b.lives, b.st)
	for _, bd := range append(append([]*binding{}, r.binds...), r.removed...) {
		if bd.masked != nil {
			b.plan.Fingerprints[bd.obj.Address] = bd.masked.Fingerprint()
		}
	}
	b.plan.Forget = r.forget
	for _, o := range r.unused {
		nm := NotManaged{Kind: o.kind, Link: o.identity["link"], Identity: o.identity, Live: o.attrs}
		if l := b.lives[nm.Link]; o.m != nil && l != nil {
			nm.TemplateID = o.m.Active.ID
			nm.Prerequisites, nm.InitialSyncRan = l.Prerequisites[nm.TemplateID], l.SyncRan[nm.TemplateID]
		}
		b.plan.NotManaged = append(b.plan.NotManaged, nm)
		b.plan.Fingerprints["not_managed "+identityKey(o.kind, o.identity)] = o.attrs.Fingerprint()
	}
	return r.binds, r.removed
}

// stateAttributes decodes the attributes a state object records.
func stateAttributes(o *state.Object) *Attributes {
	if o == nil || len(o.Attributes) == 0 {
		return nil
	}
	var a Attributes
	if err := json.Unmarshal(o.Attributes, &a); err != nil {
		return nil
	}
	return &a
}

// kindOf returns the object kind of an address ("table_map.x" → "table_map").
func kindOf(addr string) string {
	for i := 0; i < len(addr); i++ {
		if addr[i] == '.' {
			return addr[:i]
		}
	}
	return addr
}

// add appends an action and returns it; its ID is address:kind-name.
func (b *builder) add(a *Action) *Action {
	a.ID = fmt.Sprintf("%s:%s", a.Address, a.Kind.Name())
	if a.DependsOn == nil {
		a.DependsOn = []string{}
	}
	b.byID[a.ID] = a
	b.plan.Actions = append(b.plan.Actions, a)
	return a
}

// drift reports managed objects whose live fingerprint moved since the
// last apply. The live object is masked by the attributes that apply
// recorded, as its fingerprint was then, so that a configuration that
// manages more (an owning team, a pinned version) is not taken for drift.
func (b *builder) drift(binds, removed []*binding) {
	for _, bd := range append(append([]*binding{}, binds...), removed...) {
		if bd.st == nil || bd.st.Fingerprint == "" {
			continue
		}
		if bd.live == nil {
			b.plan.Drift = append(b.plan.Drift, Drift{Address: bd.obj.Address, Gone: true})
			continue
		}
		applied := stateAttributes(bd.st)
		now := bd.masked
		if applied != nil {
			now = maskLive(bd.live, applied)
		}
		if now.Fingerprint() == bd.st.Fingerprint {
			continue
		}
		cs, same := diffAttrs(withoutSeed(applied), withoutSeed(now))
		b.plan.Drift = append(b.plan.Drift, Drift{Address: bd.obj.Address, Changes: cs, Unchanged: same})
	}
}

// StateObject returns the state record of an applied object: its
// identity, its desired attributes and the fingerprint of the live object
// read back after applying it (see Fingerprints).
func StateObject(o *Object, fingerprint string) state.Object {
	attrs, err := json.Marshal(o.Desired)
	if err != nil {
		panic("planner: attributes do not encode: " + err.Error())
	}
	return state.Object{Identity: o.Identity, Fingerprint: fingerprint, Attributes: attrs}
}
