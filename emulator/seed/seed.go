package seed

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"slices"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/emulator/dataverse"
	"github.com/dwctl/dwctl/emulator/finops"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/tables"
	"github.com/dwctl/dwctl/emulator/wire"
)

// seedProfile records what data a data directory was seeded with at first start.
type seedProfile struct {
	FinOps    string `json:"finops"`
	Dataverse string `json:"dataverse"`
	Rows      int    `json:"rows"`
}

const seededSetting = "seeded"

// Config is what seeding needs: the pair's store and services, and what to seed.
type Config struct {
	Store        *store.Store
	Dataverse    *dataverse.Service
	FinOps       *finops.Service
	BusinessUnit string // the id of the organization's root business unit

	FinOpsSeed    string // "empty" (default), "demo" or "existing"
	DataverseSeed string // "empty" (default) or "existing"
	Rows          int    // rows per company and table
}

// Run installs the seed metadata (adding tables a data directory does not have yet) and, at first
// start only, the seed data cfg asks for. Data is generated from a fixed random seed, so the same
// options give the same rows (and ids) everywhere.
func Run(ctx context.Context, cfg Config) error {
	for _, t := range tables.All() {
		if _, ok := cfg.Store.Table(t.Service, t.Name); !ok {
			if err := cfg.Store.PutTable(ctx, t); err != nil {
				return err
			}
		}
	}
	done, err := cfg.Store.Setting(ctx, seededSetting)
	if err != nil || done != "" {
		return err
	}
	p := seedProfile{FinOps: cmp.Or(cfg.FinOpsSeed, "empty"), Dataverse: cmp.Or(cfg.DataverseSeed, "empty"), Rows: cfg.Rows}
	if p.FinOps != "empty" && p.FinOps != "demo" && p.FinOps != "existing" {
		return fmt.Errorf("unknown F&O seed %q: want empty, demo or existing", p.FinOps)
	}
	if p.Dataverse != "empty" && p.Dataverse != "existing" {
		return fmt.Errorf("unknown Dataverse seed %q: want empty or existing", p.Dataverse)
	}
	// Seeding writes as dual-write's own does: it never triggers live sync.
	return cfg.Store.Update(store.AsDualWrite(ctx), func(ctx context.Context) error {
		g := &generator{store: cfg.Store, dataverse: cfg.Dataverse, finops: cfg.FinOps, businessUnit: cfg.BusinessUnit, rng: rand.New(rand.NewSource(20260101))}
		if err := g.organization(ctx); err != nil {
			return err
		}
		switch p.FinOps {
		case "empty":
			if err := g.finOpsNew(ctx); err != nil {
				return err
			}
		case "demo":
			if err := g.finOpsDemo(ctx, p.Rows, demoCompanies); err != nil {
				return err
			}
		case "existing":
			if err := g.finOpsDemo(ctx, p.Rows*2, append(slices.Clone(demoCompanies), inUseCompanies...)); err != nil {
				return err
			}
			if err := g.advanceSequences(ctx); err != nil {
				return err
			}
		}
		if err := g.dataverseBase(ctx); err != nil {
			return err
		}
		if p.Dataverse == "existing" {
			if err := g.dataverseExisting(ctx, p.Rows); err != nil {
				return err
			}
		}
		b, _ := json.Marshal(p)
		return cfg.Store.SetSetting(ctx, seededSetting, string(b))
	})
}

// generator makes deterministic seed rows.
type generator struct {
	store        *store.Store
	dataverse    *dataverse.Service
	finops       *finops.Service
	businessUnit string
	rng          *rand.Rand
}

func (g *generator) guid() string {
	var b [16]byte
	g.rng.Read(b[:])
	return wire.FormatGUID(b)
}

func (g *generator) pick(list []string) string { return list[g.rng.Intn(len(list))] }

func (g *generator) fo(ctx context.Context, set string, data map[string]any) error {
	t, _ := g.store.TableBySet(store.FinOps, set)
	if _, aerr := g.finops.Insert(ctx, t, data); aerr != nil {
		return fmt.Errorf("seeding %s: %s", set, aerr.Message)
	}
	return nil
}

func (g *generator) dv(ctx context.Context, set string, data map[string]any) (string, error) {
	t, _ := g.store.TableBySet(store.Dataverse, set)
	data[t.PrimaryID] = g.guid()
	row, aerr := g.dataverse.Insert(ctx, t, data)
	if aerr != nil {
		return "", fmt.Errorf("seeding %s: %s", set, aerr.Message)
	}
	return row.ID, nil
}

type demoCompany struct{ id, name, country, currency, lang, prefix string }

var demoCompanies = []demoCompany{
	{"DAT", "Company DAT", "USA", "USD", "en-us", "DA"},
	{"USMF", "Contoso Entertainment System USA", "USA", "USD", "en-us", "US"},
	{"DEMF", "Contoso Entertainment System Germany", "DEU", "EUR", "de", "DE"},
	{"GBSI", "Contoso Entertainment System UK", "GBR", "GBP", "en-gb", "GB"},
}

var (
	orgWords   = []string{"Adatum", "Alpine", "Contoso", "Fabrikam", "Litware", "Northwind", "Proseware", "Tailspin", "Wingtip", "Woodgrove", "Lucerne", "Humongous", "Trey", "Coho", "Relecloud"}
	orgSuffix  = []string{"Retail", "Trading", "Industries", "Foods", "Motors", "Supplies", "Systems", "Outlet", "Partners", "Logistics"}
	firstNames = []string{"Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Ida", "Jonas", "Karin", "Liam", "Mia", "Noah", "Olivia", "Paul"}
	lastNames  = []string{"Berg", "Clark", "Dahl", "Evans", "Fischer", "Garcia", "Hansen", "Ito", "Jensen", "Keller", "Larsen", "Meyer", "Novak", "Olsen", "Price"}
	cities     = map[string][]string{"USA": {"Seattle", "Chicago", "Boston", "Austin"}, "DEU": {"Berlin", "Munich", "Hamburg"}, "GBR": {"London", "Leeds", "Bristol"}, "FRA": {"Paris", "Lyon", "Lille"}}
)

// inUseCompanies are the legal entities an F&O in use has besides the demo
// ones (F&O seed "existing").
var inUseCompanies = []demoCompany{
	{"USRT", "Contoso Retail USA", "USA", "USD", "en-us", "RT"},
	{"FRRT", "Contoso Retail France", "FRA", "EUR", "fr", "FR"},
}

// finOpsNew seeds what a new F&O environment has: the DAT company and the
// currencies (F&O seed "empty").
func (g *generator) finOpsNew(ctx context.Context) error {
	if err := g.currencies(ctx); err != nil {
		return err
	}
	dat := demoCompanies[0]
	if err := g.fo(ctx, "LegalEntities", map[string]any{"LegalEntityId": dat.id, "Name": dat.name, "CompanyName": dat.name,
		"LanguageId": dat.lang, "AddressCountryRegionId": dat.country}); err != nil {
		return err
	}
	return g.fo(ctx, "Companies", map[string]any{"DataArea": dat.id, "Name": dat.name, "KnownAs": dat.id, "LanguageId": dat.lang})
}

// advanceSequences moves every customer and vendor sequence well past the
// seeded accounts, as years of use leave them (F&O seed "existing"): the
// numbers in between were used by records since deleted or archived.
func (g *generator) advanceSequences(ctx context.Context) error {
	t, _ := g.store.TableBySet(store.FinOps, "SequenceV2Tables")
	var rows []store.Row
	err := g.store.Scan(ctx, store.FinOps, t.Name, "", func(r store.Row) (bool, error) {
		rows = append(rows, r)
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, r := range rows {
		largest, _ := r.Data["Largest"].(float64)
		next, _ := r.Data["Next"].(float64)
		r.Data["Next"] = math.Floor(next + (largest-next)*0.7)
		if _, err := g.store.Put(ctx, t, r); err != nil {
			return err
		}
	}
	return nil
}

// dataverseBase seeds what every Dataverse organisation has: its base
// currency.
func (g *generator) dataverseBase(ctx context.Context) error {
	_, err := g.dv(ctx, "transactioncurrencies", map[string]any{"isocurrencycode": "USD", "currencyname": "US Dollar",
		"currencysymbol": "$", "exchangerate": 1.0, "currencyprecision": 2.0})
	return err
}

func (g *generator) currencies(ctx context.Context) error {
	for _, c := range [][3]string{{"USD", "US Dollar", "$"}, {"EUR", "Euro", "€"}, {"GBP", "Pound Sterling", "£"}, {"DKK", "Danish Krone", "kr"}, {"JPY", "Yen", "¥"}, {"CAD", "Canadian Dollar", "$"}} {
		if err := g.fo(ctx, "Currencies", map[string]any{"CurrencyCode": c[0], "Name": c[1], "Symbol": c[2], "RoundingPrecision": 0.01}); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) finOpsDemo(ctx context.Context, rows int, companies []demoCompany) error {
	if err := g.currencies(ctx); err != nil {
		return err
	}
	for _, u := range [][2]string{{"ea", "Each"}, {"pcs", "Pieces"}, {"kg", "Kilogram"}, {"h", "Hours"}} {
		if err := g.fo(ctx, "UnitsOfMeasure", map[string]any{"UnitSymbol": u[0], "UnitDescription": u[1], "UnitClass": "Quantity", "DecimalPrecision": 2.0}); err != nil {
			return err
		}
	}
	if err := g.fo(ctx, "ExchangeRateTypes", map[string]any{"Name": "Default", "Description": "Default exchange rate type"}); err != nil {
		return err
	}
	for _, c := range companies {
		if err := g.company(ctx, c, rows); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) company(ctx context.Context, c demoCompany, rows int) error {
	area := strings.ToLower(c.id)
	steps := []struct {
		set  string
		data map[string]any
	}{
		{"LegalEntities", map[string]any{"LegalEntityId": c.id, "Name": c.name, "CompanyName": c.name, "LanguageId": c.lang, "AddressCountryRegionId": c.country}},
		{"Companies", map[string]any{"DataArea": c.id, "Name": c.name, "KnownAs": c.id, "LanguageId": c.lang}},
	}
	for _, term := range []string{"Net10", "Net30", "Net60"} {
		steps = append(steps, struct {
			set  string
			data map[string]any
		}{"PaymentTerms", map[string]any{"dataAreaId": area, "Name": term, "Description": "Net " + term[3:] + " days", "NumberOfDays": float64(tables.AtoiOr(term[3:], 30))}})
	}
	for i, grp := range []string{"Wholesale customers", "Major customers", "Retail customers", "Internet customers"} {
		steps = append(steps, struct {
			set  string
			data map[string]any
		}{"CustomerGroups", map[string]any{"dataAreaId": area, "CustomerGroupId": fmt.Sprint((i + 1) * 10), "Description": grp, "PaymentTermId": "Net30", "IsSalesTaxIncludedInPrice": "No"}})
	}
	for i, grp := range []string{"Parts suppliers", "Service providers", "Other vendors"} {
		steps = append(steps, struct {
			set  string
			data map[string]any
		}{"VendorGroups", map[string]any{"dataAreaId": area, "VendorGroupId": fmt.Sprint((i + 1) * 10), "Description": grp, "DefaultPaymentTermName": "Net30"}})
	}
	for _, s := range steps {
		if err := g.fo(ctx, s.set, s.data); err != nil {
			return err
		}
	}
	if err := g.reference(ctx, area); err != nil {
		return err
	}
	return g.parties(ctx, c, area, rows)
}

func (g *generator) reference(ctx context.Context, area string) error {
	simple := map[string][][3]string{
		"CustomerPaymentMethods": {{"Name", "CHECK", "Check"}, {"Name", "ELECTRONIC", "Electronic payment"}},
		"VendorPaymentMethods":   {{"Name", "CHECK", "Check"}, {"Name", "ELECTRONIC", "Electronic payment"}},
		"DeliveryModes":          {{"ModeCode", "10", "Truck"}, {"ModeCode", "20", "Air"}},
		"DeliveryTerms":          {{"TermsCode", "FOB", "Free on board"}, {"TermsCode", "CIF", "Cost, insurance and freight"}},
		"SalesTaxGroups":         {{"TaxGroupCode", "STD", "Standard"}, {"TaxGroupCode", "EXEMPT", "Exempt"}},
		"OperationalSites":       {{"SiteId", "1", "Main site"}, {"SiteId", "2", "Second site"}},
	}
	descField := map[string]string{"DeliveryModes": "ModeDescription", "DeliveryTerms": "TermsDescription", "OperationalSites": "SiteName"}
	for _, set := range []string{"CustomerPaymentMethods", "VendorPaymentMethods", "DeliveryModes", "DeliveryTerms", "SalesTaxGroups", "OperationalSites"} {
		for _, r := range simple[set] {
			d := cmp.Or(descField[set], "Description")
			if err := g.fo(ctx, set, map[string]any{"dataAreaId": area, r[0]: r[1], d: r[2]}); err != nil {
				return err
			}
		}
	}
	for _, w := range [][3]string{{"11", "Main warehouse", "1"}, {"12", "Returns", "1"}, {"21", "Second warehouse", "2"}} {
		if err := g.fo(ctx, "Warehouses", map[string]any{"dataAreaId": area, "WarehouseId": w[0], "WarehouseName": w[1], "OperationalSiteId": w[2]}); err != nil {
			return err
		}
	}
	return nil
}

// parties seeds customers (organisations and persons), vendors and the number sequences behind them.
func (g *generator) parties(ctx context.Context, c demoCompany, area string, rows int) error {
	for i := 1; i <= rows; i++ {
		d := map[string]any{"dataAreaId": area, "CustomerAccount": accountNumber(c.prefix+"-", i, rows),
			"CustomerGroupId": fmt.Sprint((g.rng.Intn(4) + 1) * 10), "SalesCurrencyCode": c.currency, "PaymentTerms": "Net30",
			"AddressCountryRegionId": c.country, "AddressCity": g.pick(cities[c.country]), "LanguageId": c.lang,
			"CreditLimit": float64(g.rng.Intn(50) * 1000), "OnHoldStatus": "No", "PartyNumber": fmt.Sprintf("%06d", 100000+i)}
		if i%4 == 0 {
			first, last := g.pick(firstNames), g.pick(lastNames)
			d["PartyType"], d["PersonFirstName"], d["PersonLastName"], d["OrganizationName"] = "Person", first, last, first+" "+last
			d["PrimaryContactEmail"] = strings.ToLower(first+"."+last) + "@example.com"
		} else {
			d["PartyType"], d["OrganizationName"] = "Organization", g.pick(orgWords)+" "+g.pick(orgSuffix)
			d["PrimaryContactPhone"] = fmt.Sprintf("+1 555 %04d", g.rng.Intn(10000))
		}
		if err := g.fo(ctx, "CustomersV3", d); err != nil {
			return err
		}
	}
	vendors := rows/2 + 1
	for i := 1; i <= vendors; i++ {
		if err := g.fo(ctx, "VendorsV2", map[string]any{"dataAreaId": area, "VendorAccountNumber": accountNumber("V"+c.prefix+"-", i, rows),
			"VendorOrganizationName": g.pick(orgWords) + " " + g.pick(orgSuffix), "VendorPartyType": "Organization",
			"VendorGroupId": fmt.Sprint((g.rng.Intn(3) + 1) * 10), "CurrencyCode": c.currency, "AddressCountryRegionId": c.country}); err != nil {
			return err
		}
	}
	if err := g.contacts(ctx, c, area, rows, vendors); err != nil {
		return err
	}
	for _, s := range []struct {
		code, format string
		next         int
	}{{"Cust_1", c.prefix + "-" + strings.Repeat("#", digits(rows)), rows + 1}, {"Vend_1", "V" + c.prefix + "-" + strings.Repeat("#", digits(rows)), vendors + 1}} {
		if err := g.fo(ctx, "SequenceV2Tables", map[string]any{"NumberSequenceCode": s.code, "ScopeType": "DataArea", "ScopeValue": c.id,
			"Name": s.code, "Smallest": 1.0, "Largest": math.Pow10(digits(rows)) - 1, "Next": float64(s.next), "Format": s.format, "Company": c.id,
			"AnnotatedFormat": s.format, "Interval": 1.0, "Continuous": "No", "Manual": "No"}); err != nil {
			return err
		}
	}
	return nil
}

// digits is the width of the seeded account numbers: at least 3, and room for the next number.
func digits(rows int) int { return max(3, len(strconv.Itoa(rows+1))) }

// accountNumber renders prefix + i zero-padded to the seeded width ("US-001").
func accountNumber(prefix string, i, rows int) string {
	return fmt.Sprintf("%s%0*d", prefix, digits(rows), i)
}

// contacts seeds contact persons of customers and vendors.
func (g *generator) contacts(ctx context.Context, c demoCompany, area string, rows, vendors int) error {
	for i := 1; i <= rows/2+1; i++ {
		first, last := g.pick(firstNames), g.pick(lastNames)
		typ, owner := "Customer", accountNumber(c.prefix+"-", i, rows)
		if i%2 == 0 {
			typ, owner = "Vendor", accountNumber("V"+c.prefix+"-", min(i, vendors), rows)
		}
		if err := g.fo(ctx, "ContactPersonsV2", map[string]any{"dataAreaId": area, "ContactPersonId": accountNumber("CP"+c.prefix+"-", i, rows),
			"FirstName": first, "LastName": last, "PrimaryEmailAddress": strings.ToLower(first+"."+last) + "@example.com",
			"AssociatedContactType": typ, "AssociatedContactNumber": owner}); err != nil {
			return err
		}
	}
	return nil
}

// organization seeds what every Dataverse organisation has: the root business unit (the one WhoAmI
// reports) and its default team, which owns global rows.
func (g *generator) organization(ctx context.Context) error {
	bu, _ := g.store.TableBySet(store.Dataverse, "businessunits")
	if _, aerr := g.dataverse.Insert(ctx, bu, map[string]any{bu.PrimaryID: g.businessUnit, "name": "org"}); aerr != nil {
		return fmt.Errorf("seeding the root business unit: %s", aerr.Message)
	}
	_, err := g.dv(ctx, "teams", map[string]any{"name": "org", "isdefault": true, "teamtype": 0.0, "_businessunitid_value": g.businessUnit})
	return err
}

// dataverseExisting seeds a CRM that predates dual-write: another currency (the base one is
// there), customer groups, and accounts and contacts without a company — some of them with values
// that fail a naive sync (no account number, no customer group).
func (g *generator) dataverseExisting(ctx context.Context, rows int) error {
	for _, c := range [][3]string{{"EUR", "Euro", "€"}} {
		if _, err := g.dv(ctx, "transactioncurrencies", map[string]any{"isocurrencycode": c[0], "currencyname": c[1], "currencysymbol": c[2], "exchangerate": 1.0, "currencyprecision": 2.0}); err != nil {
			return err
		}
	}
	// Customer groups set up before dual-write, without a company like
	// every row here; most accounts name one.
	var groups []string
	for _, grp := range [][2]string{{"10", "Wholesale customers"}, {"20", "Retail customers"}} {
		id, err := g.dv(ctx, "msdyn_customergroups", map[string]any{"msdyn_groupid": grp[0], "msdyn_description": grp[1]})
		if err != nil {
			return err
		}
		groups = append(groups, id)
	}
	countries := []string{"USA", "Germany", "United Kingdom"}
	var accounts []string
	for i := 1; i <= rows; i++ {
		d := map[string]any{"name": g.pick(orgWords) + " " + g.pick(orgSuffix), "customertypecode": 3.0,
			"address1_country": g.pick(countries), "telephone1": fmt.Sprintf("+1 555 %04d", g.rng.Intn(10000)),
			"numberofemployees": float64(10 + g.rng.Intn(5000)), "revenue": float64(g.rng.Intn(1000) * 10000)}
		// The values that fail a naive sync to F&O: every 7th account has
		// no account number (the integration key), every 3rd no customer
		// group (mandatory in F&O).
		if i%7 != 0 {
			d["accountnumber"] = fmt.Sprintf("A%05d", i)
		}
		if i%3 != 0 {
			d["_msdyn_customergroupid_value"] = groups[i%len(groups)]
		}
		if i%5 == 0 {
			d["customertypecode"] = 8.0
		}
		id, err := g.dv(ctx, "accounts", d)
		if err != nil {
			return err
		}
		accounts = append(accounts, id)
	}
	for i := 1; i <= rows; i++ {
		first, last := g.pick(firstNames), g.pick(lastNames)
		d := map[string]any{"firstname": first, "lastname": last, "emailaddress1": fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), i),
			"address1_country": g.pick(countries)}
		if i%2 == 0 && len(accounts) > 0 {
			d["_parentcustomerid_value"] = accounts[g.rng.Intn(len(accounts))]
		}
		if _, err := g.dv(ctx, "contacts", d); err != nil {
			return err
		}
	}
	return nil
}
