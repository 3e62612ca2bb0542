package planner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/state"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// baseConfig is the configuration the hand-built baseLive matches.
const baseConfig = `
dwctl { publisher = "contoso" }
environment "finops" "fo" { url = "https://contoso.operations.dynamics.com" }
environment "dataverse" "ce" { url = "https://contoso.crm.dynamics.com" }
link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
company "USMF" {
  link = link.main
  name = "Contoso Entertainment System USA"
}
integration_key "account" {
  link    = link.main
  columns = ["accountnumber", "msdyn_company.cdm_companycode"]
}
table_map "currencies" {
  link      = link.main
  finops    = "Currencies"
  dataverse = "transactioncurrencies"
  field "CURRENCYCODE" "isocurrencycode" {}
  field "" "exchangerate" { default = 1 }
}
table_map "customers" {
  link       = link.main
  finops     = "CustomersV3"
  dataverse  = "accounts"
  depends_on = [table_map.currencies]
  initial_sync {
    enabled = true
    master  = "finops"
  }
  filter {
    finops    = "((PartyType == \"Organization\"))"
    dataverse = "customertypecode eq 3"
  }
  field "CUSTOMERACCOUNT" "accountnumber" {}
  field "ORGANIZATIONNAME" "name" { direction = "to_dataverse" }
  field "ONHOLDSTATUS" "msdyn_onholdstatus" {
    value_map = { no = 806380000, invoice = 806380001 }
  }
}
number_sequence "customer_account" {
  link = link.main
  finops {
    code     = "Acco_1"
    scope    = "company"
    company  = "USMF"
    format   = "F####"
    smallest = 1
    largest  = 4999
  }
  dataverse {
    table  = "account"
    column = "accountnumber"
    format = "C{SEQNUM:4}"
    seed   = 5000
  }
}
`

func str2(s string) *string { return &s }

// baseLive is baseConfig as the services report it once applied, spelled
// the way they spell it: lower-case company ids, lower-case F&O names, other
// field orders, numbers with decimals.
func baseLive() *Live {
	return &Live{
		Link: &providers.LinkInfo{ConnectionSetID: "cs1", FinOpsEnvironment: "contoso.operations.dynamics.com",
			DataverseEnvironment: "https://Contoso.crm.dynamics.com/"},
		LegalEntities:   []providers.LegalEntity{{Code: "usmf", Name: "USMF"}},
		Companies:       []providers.Company{{ID: "g1", Code: "usmf", Name: "Contoso Entertainment System USA", DefaultOwningTeam: "t1"}},
		IntegrationKeys: map[string][]string{"account": {"accountnumber", "msdyn_company.cdm_companycode"}},
		Maps: []LiveMap{
			{Map: providers.Map{TemplateID: "t-cur", FinOpsEntity: "currencies", DataverseEntitySet: "transactioncurrencies",
				Active: providers.MapTemplate{ID: "t-cur", Author: "Microsoft", Version: "1.0.0.3"}, State: providers.StateRunning},
				Definition: &providers.MapDefinition{FinOpsEntity: "Currencies", DataverseEntitySet: "transactioncurrencies",
					Fields: []providers.FieldMapping{
						{FinOps: "", Dataverse: "exchangerate", Direction: providers.ToDataverse, Default: str2("1.0000000000")},
						{FinOps: "currencycode", Dataverse: "isocurrencycode", Direction: providers.Bidirectional},
					}}},
			{Map: providers.Map{TemplateID: "t-cust", FinOpsEntity: "CustCustomerV3Entity", DataverseEntitySet: "accounts",
				Active:   providers.MapTemplate{ID: "t-cust", Author: "Microsoft", Version: "1.0.0.12"},
				Versions: []providers.MapTemplate{{ID: "t-old", Version: "1.0.0.9"}, {ID: "t-cust", Version: "1.0.0.12"}},
				State:    providers.StateRunning},
				Definition: &providers.MapDefinition{FinOpsEntity: "CustCustomerV3Entity", DataverseEntitySet: "accounts",
					FinOpsFilter: `((PartyType == "Organization"))`, DataverseFilter: "customertypecode eq 3",
					Fields: []providers.FieldMapping{
						{FinOps: "OnHoldStatus", Dataverse: "msdyn_onholdstatus", Direction: providers.Bidirectional,
							ValueMap: map[string]string{"No": "806380000", "Invoice": "806380001"}},
						{FinOps: "ORGANIZATIONNAME", Dataverse: "name", Direction: providers.ToDataverse},
						{FinOps: "CUSTOMERACCOUNT", Dataverse: "accountnumber", Direction: providers.Bidirectional},
					}}},
		},
		FinOpsEntitySets: map[string]string{"custcustomerv3entity": "CustomersV3"},
		Sequences: []providers.NumberSequence{{Code: "Acco_1", ScopeType: "DataArea", ScopeValue: "usmf", Format: "F####",
			Smallest: 1, Largest: 4999, Next: 17}},
		AutoNumbers: []providers.AutoNumber{{Table: "account", Column: "accountnumber", Format: "C{SEQNUM:4}", Next: 5000}},
		RowCounts:   map[string]int64{"finops:CustomersV3": 1200, "dataverse:accounts": 7},
	}
}

func loadConfig(t testing.TB, src string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Load(dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("config: %s", diags.Error())
	}
	return cfg
}

func actionIDs(p *Plan) []string {
	var out []string
	for _, a := range p.Actions {
		out = append(out, a.ID)
	}
	return out
}

func TestBuildActions(t *testing.T) {
	tests := map[string]struct {
		edit     func(string) string
		live     func(*Live)
		opts     Options
		want     []string
		wantDiag string
	}{
		"applied config plans no changes": {},
		"filter of a running map": {
			edit: func(s string) string { return strings.Replace(s, "customertypecode eq 3", "customertypecode eq 4", 1) },
			want: []string{"table_map.customers:stop", "table_map.customers:save_version", "table_map.customers:start"},
		},
		"field added to a running map": {
			edit: func(s string) string {
				return strings.Replace(s, `field "CUSTOMERACCOUNT" "accountnumber" {}`, `field "CUSTOMERACCOUNT" "accountnumber" {}
  field "CREDITLIMIT" "creditlimit" {}`, 1)
			},
			want: []string{"table_map.customers:stop", "table_map.customers:save_version", "table_map.customers:start"},
		},
		"pausing a map": {
			edit: func(s string) string {
				return strings.Replace(s, `depends_on = [table_map.currencies]`, `depends_on = [table_map.currencies]
  state = "paused"`, 1)
			},
			want: []string{"table_map.customers:pause"},
		},
		"resuming a paused map": {
			live: func(l *Live) { l.Maps[1].State = providers.StatePaused },
			want: []string{"table_map.customers:resume"},
		},
		"starting a stopped map runs its initial sync": {
			live: func(l *Live) { l.Maps[1].State = providers.StateStopped },
			want: []string{"table_map.customers:start", "initial_sync.table_map.customers:initial_sync"},
		},
		"adding a company": {
			edit: func(s string) string {
				return s + "company \"USRT\" {\n  link = link.main\n  name = \"Contoso Retail USA\"\n}\n"
			},
			want: []string{"company.USRT:create"},
		},
		"renaming a company": {
			live: func(l *Live) { l.Companies[0].Name = "Old name" },
			want: []string{"company.USMF:update"},
		},
		"owning team not read is not compared": {
			edit: func(s string) string {
				return strings.Replace(s, `name = "Contoso Entertainment System USA"`, "name = \"Contoso Entertainment System USA\"\n  owning_team = \"USMF DW\"", 1)
			},
		},
		"owning team differs": {
			edit: func(s string) string {
				return strings.Replace(s, `name = "Contoso Entertainment System USA"`, "name = \"Contoso Entertainment System USA\"\n  owning_team = \"USMF DW\"", 1)
			},
			live: func(l *Live) { l.OwningTeams = map[string]string{"USMF": "Someone else"} },
			want: []string{"company.USMF:update"},
		},
		"changing a Dataverse seed": {
			edit: func(s string) string { return strings.Replace(s, "seed   = 5000", "seed   = 6000", 1) },
			want: []string{"number_sequence.customer_account:update"},
		},
		"seed below the next number": {
			edit:     func(s string) string { return strings.Replace(s, "seed   = 5000", "seed   = 10", 1) },
			wantDiag: "Seed below numbers already issued",
		},
		"key columns changed": {
			live: func(l *Live) { l.IntegrationKeys["account"] = []string{"accountnumber"} },
			want: []string{"integration_key.account:update"},
		},
		"pinning another version": {
			edit: func(s string) string {
				return strings.Replace(s, `finops     = "CustomersV3"`, `finops     = "CustomersV3"
  version    = "1.0.0.9"`, 1)
			},
			want: []string{"table_map.customers:stop", "table_map.customers:switch_version", "table_map.customers:start"},
		},
		"pinning a version the map lacks": {
			edit: func(s string) string {
				return strings.Replace(s, `finops     = "CustomersV3"`, "finops     = \"CustomersV3\"\n  version    = \"1.0.0.7\"", 1)
			},
			wantDiag: "Pinned version not found",
		},
		"editing a stopped map starts it as configured": {
			edit: func(s string) string { return strings.Replace(s, "customertypecode eq 3", "customertypecode eq 4", 1) },
			live: func(l *Live) { l.Maps[1].State = providers.StateStopped },
			want: []string{"table_map.customers:save_version", "table_map.customers:start", "initial_sync.table_map.customers:initial_sync"},
		},
		"nothing linked yet": {
			live: func(l *Live) { *l = Live{RowCounts: l.RowCounts} },
			want: []string{"link.main:create", "company.USMF:create", "integration_key.account:create",
				"table_map.currencies:create", "table_map.currencies:start", "table_map.customers:create",
				"table_map.customers:start", "initial_sync.table_map.customers:initial_sync", "number_sequence.customer_account:create"},
		},
		"linked to another Dataverse": {
			live: func(l *Live) { l.Link.DataverseEnvironment = "https://fabrikam.crm.dynamics.com" },
			want: []string{"link.main:replace", "company.USMF:create", "integration_key.account:create",
				"table_map.currencies:create", "table_map.currencies:start", "table_map.customers:create",
				"table_map.customers:start", "initial_sync.table_map.customers:initial_sync"},
		},
		"runtime configuration of another Dataverse": {
			live: func(l *Live) {
				l.ProjectConfigurations = []providers.ProjectConfiguration{{ProjectName: "p1", ExternalEnvironmentURL: "https://contoso-prod.crm.dynamics.com"}}
			},
			want: []string{"link.main:replace", "company.USMF:create", "integration_key.account:create",
				"table_map.currencies:create", "table_map.currencies:start", "table_map.customers:create",
				"table_map.customers:start", "initial_sync.table_map.customers:initial_sync"},
		},
		"target keeps dependencies": {
			live: func(l *Live) { *l = Live{RowCounts: l.RowCounts} },
			opts: Options{Targets: []string{"integration_key.account"}},
			want: []string{"link.main:create", "company.USMF:create", "integration_key.account:create"},
		},
		"refresh only": {
			live: func(l *Live) { l.Maps[1].State = providers.StateStopped },
			opts: Options{RefreshOnly: true},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			src := baseConfig
			if tc.edit != nil {
				src = tc.edit(src)
			}
			live := baseLive()
			if tc.live != nil {
				tc.live(live)
			}
			p, diags := Build(loadConfig(t, src), map[string]*Live{"main": live}, nil, tc.opts)
			if tc.wantDiag != "" {
				if !strings.Contains(diags.Error(), tc.wantDiag) {
					t.Fatalf("diagnostics %q, want %q", diags.Error(), tc.wantDiag)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("diagnostics: %s", diags.Error())
			}
			if diff := cmp.Diff(tc.want, actionIDs(p)); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
		})
	}
}

// applied returns the state an apply of p against live would leave.
func applied(p *Plan) *state.State {
	st := state.New()
	for addr, o := range p.Objects {
		st.SetObject(addr, StateObject(o, p.Fingerprints[addr]))
	}
	return st
}

func TestStateUse(t *testing.T) {
	cfg := loadConfig(t, baseConfig)
	first, _ := Build(cfg, map[string]*Live{"main": baseLive()}, nil, Options{})
	st := applied(first)
	tests := map[string]struct {
		edit       func(string) string
		live       func(*Live)
		want       []string
		wantDrift  []string
		notManaged int
	}{
		"unchanged": {},
		"map removed from config is deleted": {
			edit: func(s string) string {
				i := strings.Index(s, `table_map "customers"`)
				j := strings.Index(s, `number_sequence`)
				return strings.Replace(s[:i]+s[j:], "", "", 1)
			},
			want: []string{"table_map.customers:stop", "table_map.customers:delete"},
		},
		"live object nobody declared": {
			live: func(l *Live) {
				l.IntegrationKeys["contact"] = []string{"msdyn_contactpersonid"}
			},
			notManaged: 1,
		},
		"managing more is no drift": {
			edit: func(s string) string {
				return strings.Replace(s, `name = "Contoso Entertainment System USA"`, "name = \"Contoso Entertainment System USA\"\n  owning_team = \"USMF DW\"", 1)
			},
			live: func(l *Live) { l.OwningTeams = map[string]string{"USMF": "Other"} },
			want: []string{"company.USMF:update"},
		},
		"drift of a managed map": {
			live: func(l *Live) {
				l.Maps[1].Definition.DataverseFilter = "customertypecode eq 5"
			},
			want:      []string{"table_map.customers:stop", "table_map.customers:save_version", "table_map.customers:start"},
			wantDrift: []string{"table_map.customers"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			src := baseConfig
			if tc.edit != nil {
				src = tc.edit(src)
			}
			live := baseLive()
			if tc.live != nil {
				tc.live(live)
			}
			p, diags := Build(loadConfig(t, src), map[string]*Live{"main": live}, st, Options{})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if diff := cmp.Diff(tc.want, actionIDs(p)); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
			var drift []string
			for _, d := range p.Drift {
				drift = append(drift, d.Address)
			}
			if diff := cmp.Diff(tc.wantDrift, drift); diff != "" {
				t.Errorf("drift (-want +got):\n%s", diff)
			}
			if len(p.NotManaged) != tc.notManaged {
				t.Errorf("not managed: %d, want %d", len(p.NotManaged), tc.notManaged)
			}
		})
	}
}

// TestPrerequisitesOrderStarts: the service runs the currencies map before the customers map; a
// plan that starts both makes the customers' start wait, though the configuration has no
// depends_on between them.
func TestPrerequisitesOrderStarts(t *testing.T) {
	cfg := loadConfig(t, strings.Replace(baseConfig, "depends_on = [table_map.currencies]", "", 1))
	l := baseLive()
	l.Maps[0].State, l.Maps[1].State = providers.StateStopped, providers.StateStopped
	l.Prerequisites = map[string][]string{"t-cust": {"t-cur"}}
	p, diags := Build(cfg, map[string]*Live{"main": l}, nil, Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var start *Action
	for _, a := range p.Actions {
		if a.ID == "table_map.customers:start" {
			start = a
		}
	}
	if start == nil || !slicesContains(start.DependsOn, "table_map.currencies:start") {
		t.Fatalf("customers' start = %+v; want it to wait for the currencies' start", start)
	}
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestLegalEntitiesByReset: on a gateway that is not the emulator, a new company is a manual step;
// with control.legal_entities_by_reset it is a destructive reset of the link with the declared list,
// after which everything is created again and nothing is manual.
func TestLegalEntitiesByReset(t *testing.T) {
	withCompany := baseConfig + "company \"USRT\" {\n  link = link.main\n  name = \"Contoso Retail USA\"\n}\n"
	control := func(attrs string) string {
		return strings.Replace(withCompany, "  dataverse = environment.ce\n}", "  dataverse = environment.ce\n  control {\n    gateway = \"https://gw.example\"\n"+attrs+"  }\n}", 1)
	}
	tests := map[string]struct {
		src        string
		wantManual []string
		wantReset  []string
	}{
		"manual":      {src: control(""), wantManual: []string{"company.USRT:create"}},
		"by reset":    {src: control("    legal_entities_by_reset = true\n"), wantReset: []string{"USMF", "USRT"}},
		"unverified":  {src: control("    unverified_calls = true\n")},
		"opt-in wins": {src: control("    unverified_calls = true\n    legal_entities_by_reset = true\n")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, diags := Build(loadConfig(t, tc.src), map[string]*Live{"main": baseLive()}, nil, Options{})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			var manual, reset []string
			for _, a := range p.Actions {
				if a.Manual != nil {
					manual = append(manual, a.ID)
				}
				if a.ID == "link.main:replace" {
					reset = a.Params.LegalEntities
					if !a.Destructive || a.Reason != ReasonLegalEntitiesReset {
						t.Errorf("reset action %+v", a)
					}
				}
			}
			if diff := cmp.Diff(tc.wantManual, manual); diff != "" {
				t.Errorf("manual steps (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantReset, reset); diff != "" {
				t.Errorf("reset's legal entities (-want +got):\n%s\n%v", diff, actionIDs(p))
			}
		})
	}
}

func TestUnknownTargetIsAnError(t *testing.T) {
	cfg := loadConfig(t, baseConfig)
	_, diags := Build(cfg, map[string]*Live{"main": baseLive()}, nil, Options{Targets: []string{"table_map.custmers"}})
	if !diags.HasErrors() || diags[0].Summary != "Unknown -target address" || !strings.Contains(diags[0].Detail, "table_map.custmers") {
		t.Fatalf("diagnostics = %v", diags)
	}
	if _, diags := Build(cfg, map[string]*Live{"main": baseLive()}, nil, Options{Targets: []string{"table_map.customers"}}); diags.HasErrors() {
		t.Fatalf("a known target: %v", diags)
	}
}

// TestFailedInitialSyncPlannedAgain: state remembers a failed initial sync
// of a running map; every plan runs it again until it succeeds, in the way
// its mode allows, and not once the configuration turns it off.
func TestFailedInitialSyncPlannedAgain(t *testing.T) {
	cfg := loadConfig(t, baseConfig)
	first, _ := Build(cfg, map[string]*Live{"main": baseLive()}, nil, Options{})
	tests := map[string]struct {
		edit func(string) string
		want []string
	}{
		"service: stop and start with the sync": {
			want: []string{"table_map.customers:stop", "table_map.customers:start", "initial_sync.table_map.customers:initial_sync"},
		},
		"dwctl: copy again": {
			edit: func(s string) string {
				return strings.Replace(s, `master  = "finops"`, "master  = \"finops\"\n    mode    = \"dwctl\"", 1)
			},
			want: []string{"initial_sync.table_map.customers:initial_sync"},
		},
		"an edit restarts with the sync": {
			edit: func(s string) string {
				return strings.Replace(s, `dataverse = "customertypecode eq 3"`, `dataverse = "customertypecode eq 5"`, 1)
			},
			want: []string{"table_map.customers:stop", "table_map.customers:save_version", "table_map.customers:start",
				"initial_sync.table_map.customers:initial_sync"},
		},
		"sync turned off": {
			edit: func(s string) string {
				return strings.Replace(s, "enabled = true", "enabled = false", 1)
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			st := applied(first)
			st.SetCheckpoint("initial_sync.table_map.customers", state.Checkpoint{Error: "initial sync had errors"})
			src := baseConfig
			if tc.edit != nil {
				src = tc.edit(src)
			}
			live := baseLive()
			live.RowCounts = map[string]int64{"finops:CustomersV3": 12, "dataverse:accounts": 4}
			live.Transfers = map[string]*Transfer{"table_map.customers": {Companies: map[string]map[string]int64{
				"USMF": {"dataverse_create": 10, "dataverse_update": 2, "unchanged": 3, "filtered": 5},
				"USRT": {"finops_create": 4}}}}
			p, diags := Build(loadConfig(t, src), map[string]*Live{"main": live}, st, Options{})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if diff := cmp.Diff(tc.want, actionIDs(p)); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
			for _, a := range p.Actions {
				if a.Kind == InitialSync && (a.Reason != ReasonInitialSyncFailed || a.Rows != 16) {
					t.Errorf("%s: reason %s, %d rows; want %s, 16 rows", a.ID, a.Reason, a.Rows, ReasonInitialSyncFailed)
				}
			}
		})
	}
}

// TestCopiedEnvironmentIsRelinked: a link that names another Dataverse
// environment than the one the URL reaches (a refreshed database) is
// replaced with the reason and the explanation, though its host matches;
// the same environment, or an unknown one, plans nothing.
func TestCopiedEnvironmentIsRelinked(t *testing.T) {
	cfg := loadConfig(t, baseConfig)
	tests := map[string]struct {
		linked, reached string
		want            Reason
	}{
		"copied":          {linked: "env-prod", reached: "env-sandbox", want: ReasonEnvironmentCopied},
		"same":            {linked: "env-prod", reached: "ENV-PROD"},
		"reached unknown": {linked: "env-prod"},
		"linked unknown":  {reached: "env-sandbox"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			live := baseLive()
			live.Link.DataverseEnvironmentID = tc.linked
			live.DataverseOrganization = providers.Organization{ID: "org", EnvironmentID: tc.reached}
			p, _ := Build(cfg, map[string]*Live{"main": live}, nil, Options{AllowDestroy: true})
			var got Reason
			for _, a := range p.Actions {
				if a.Address == "link.main" {
					got = a.Reason
					if a.Kind != Replace || !strings.Contains(strings.Join(a.Notes, " "), "a database was copied from another environment") {
						t.Errorf("link action %s, notes %q", a.Kind.Name(), a.Notes)
					}
				}
			}
			if got != tc.want {
				t.Errorf("link reason %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPinnedVersionMustAgree: a map pinned to its active version whose
// configuration differs from that version's definition is an error naming
// what differs; one that agrees plans nothing.
func TestPinnedVersionMustAgree(t *testing.T) {
	pinned := strings.Replace(baseConfig, "  depends_on = [table_map.currencies]\n", "  depends_on = [table_map.currencies]\n  version    = \"1.0.0.12\"\n", 1)
	p, diags := Build(loadConfig(t, pinned), map[string]*Live{"main": baseLive()}, nil, Options{})
	if diags.HasErrors() || len(p.Actions) != 0 {
		t.Fatalf("agreeing pin: %v, actions %v", diags, actionIDs(p))
	}
	edited := strings.Replace(pinned, `dataverse = "customertypecode eq 3"`, `dataverse = "customertypecode eq 5"`, 1)
	_, diags = Build(loadConfig(t, edited), map[string]*Live{"main": baseLive()}, nil, Options{})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "Configuration disagrees with its pinned version") || !strings.Contains(diags.Error(), "filter.dataverse") {
		t.Fatalf("disagreeing pin: %v", diags)
	}
}

// TestCompanyMustBeALegalEntity: a company F&O has no legal entity for is
// an error at its block, in plan and in validate -live.
func TestCompanyMustBeALegalEntity(t *testing.T) {
	cfg := loadConfig(t, baseConfig)
	for name, les := range map[string][]string{"missing": {"DAT", "DEMF"}, "present": {"DAT", "USMF"}, "not read": nil} {
		t.Run(name, func(t *testing.T) {
			live := baseLive()
			live.FinOpsLegalEntities = les
			_, diags := Build(cfg, map[string]*Live{"main": live}, nil, Options{})
			vdiags := ValidateLive(cfg, map[string]*Live{"main": live})
			for _, d := range []hcl.Diagnostics{diags, vdiags} {
				got := false
				for _, x := range d {
					got = got || strings.HasPrefix(x.Detail, "company.USMF: the F&O environment") && strings.Contains(x.Detail, "(it has: DAT, DEMF)")
				}
				if got != (name == "missing") {
					t.Errorf("diagnostics %v", d)
				}
			}
		})
	}
}

// TestOwningTeamMustExist: a declared default owning team Dataverse lacks is
// an error, unless it is the team the company's creation brings ("USMF DW"
// for a company Dataverse does not have yet).
func TestOwningTeamMustExist(t *testing.T) {
	tests := map[string]struct {
		team      string
		found     bool
		dvCompany bool
		wantErr   bool
	}{
		"found":                         {team: "Sales", found: true, dvCompany: true},
		"missing":                       {team: "Sales", dvCompany: true, wantErr: true},
		"plug-in team of a new company": {team: "USMF DW"},
		"plug-in team missing although the company exists": {team: "USMF DW", dvCompany: true, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			src := strings.Replace(baseConfig, `name = "Contoso Entertainment System USA"`, "name = \"Contoso Entertainment System USA\"\n  owning_team = \""+tc.team+"\"", 1)
			live := baseLive()
			live.Teams = map[string]bool{strings.ToLower(tc.team): tc.found}
			if !tc.dvCompany {
				live.Companies = nil
			}
			_, diags := Build(loadConfig(t, src), map[string]*Live{"main": live}, nil, Options{})
			got := false
			for _, d := range diags {
				got = got || d.Summary == "Owning team that does not exist"
			}
			if got != tc.wantErr {
				t.Errorf("error %v, want %v: %v", got, tc.wantErr, diags)
			}
		})
	}
}

// TestFailedSyncMapIsDestroyable: a running map whose initial sync failed
// is managed like any other — plan -destroy and removing it from the
// configuration both delete it, and its failed sync is not planned again.
func TestFailedSyncMapIsDestroyable(t *testing.T) {
	cfg := loadConfig(t, baseConfig)
	first, _ := Build(cfg, map[string]*Live{"main": baseLive()}, nil, Options{})
	st := applied(first)
	st.SetCheckpoint("initial_sync.table_map.customers", state.Checkpoint{Error: "initial sync had errors"})
	has := func(p *Plan, id string) bool {
		for _, a := range p.Actions {
			if a.ID == id {
				return true
			}
		}
		return false
	}
	destroy, diags := Build(cfg, map[string]*Live{"main": baseLive()}, st, Options{Destroy: true, AllowDestroy: true})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if !has(destroy, "table_map.customers:delete") || has(destroy, "initial_sync.table_map.customers:initial_sync") {
		t.Errorf("plan -destroy: %v, want the map deleted and no sync", actionIDs(destroy))
	}
	src := baseConfig
	i, j := strings.Index(src, `table_map "customers"`), strings.Index(src, `number_sequence "customer_account"`)
	if i < 0 || j < i {
		t.Fatal("baseConfig changed shape")
	}
	removed, diags := Build(loadConfig(t, src[:i]+src[j:]), map[string]*Live{"main": baseLive()}, st, Options{AllowDestroy: true})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if !has(removed, "table_map.customers:delete") || has(removed, "initial_sync.table_map.customers:initial_sync") {
		t.Errorf("map removed from the configuration: %v, want it deleted and no sync", actionIDs(removed))
	}
}
