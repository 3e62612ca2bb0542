package view

import (
	"testing"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/state"
)

// The plans the golden files render are built from this fixture, a copy of the planner tests' own
// (they cannot share it: the planner's tests are inside the package).

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
func baseLive() *planner.Live {
	return &planner.Live{
		Link: &providers.LinkInfo{ConnectionSetID: "cs1", FinOpsEnvironment: "contoso.operations.dynamics.com",
			DataverseEnvironment: "https://Contoso.crm.dynamics.com/"},
		LegalEntities:   []providers.LegalEntity{{Code: "usmf", Name: "USMF"}},
		Companies:       []providers.Company{{ID: "g1", Code: "usmf", Name: "Contoso Entertainment System USA", DefaultOwningTeam: "t1"}},
		IntegrationKeys: map[string][]string{"account": {"accountnumber", "msdyn_company.cdm_companycode"}},
		Maps: []planner.LiveMap{
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
	return loadConfigIn(t, t.TempDir(), src)
}

// applied returns the state an apply of p against live would leave.
func applied(p *planner.Plan) *state.State {
	st := state.New()
	for addr, o := range p.Objects {
		st.SetObject(addr, planner.StateObject(o, p.Fingerprints[addr]))
	}
	return st
}
