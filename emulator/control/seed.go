package control

import (
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/pairstate"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/tables"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/dwctl/dwctl/mapversion"
)

// The out-of-box maps the control plane publishes for the seed table pairs, each in two Microsoft
// versions (author "Microsoft", 4-part versions). Field mappings, filters, value maps and defaults
// follow the published map pages where dual-write.md §4.4 and §4.9 quote them [D]; the remaining
// mappings pair the F&O key with the Dataverse code column and the descriptions [I].

type seedMap struct {
	finOpsFilter, dataverseFilter string
	fields                        []pairstate.Field
}

func fm(fo string, dir int, dv string) pairstate.Field {
	return pairstate.Field{FinOps: fo, Dataverse: dv, Direction: dir}
}

func withMap(f pairstate.Field, vm map[string]string) pairstate.Field { f.ValueMap = vm; return f }

func withDefault(f pairstate.Field, d string) pairstate.Field { f.Default = &d; return f }

const (
	dirToDV   = 1
	dirToFO   = 2
	dirBoth   = 3
	companyDV = "msdyn_company.cdm_companycode"
)

var onHoldMap = map[string]string{"No": "806380000", "Invoice": "806380001", "All": "806380002",
	"Payment": "806380003", "Requisition": "806380004", "Never": "806380005"}

var seedMaps = map[tables.Pair]seedMap{
	{FinOps: "CustomersV3", Dataverse: "accounts"}: {finOpsFilter: `((PartyType == "Organization"))`, dataverseFilter: "customertypecode eq 3",
		fields: []pairstate.Field{
			fm("CustomerAccount", dirBoth, "accountnumber"), fm("OrganizationName", dirBoth, "name"),
			fm("CustomerGroupId", dirBoth, "msdyn_customergroupid.msdyn_groupid"),
			fm("SalesCurrencyCode", dirBoth, "transactioncurrencyid.isocurrencycode"),
			fm("PaymentTerms", dirBoth, "msdyn_paymenttermid.msdyn_name"), fm("CreditLimit", dirBoth, "creditlimit"),
			withMap(fm("OnHoldStatus", dirBoth, "msdyn_onholdstatus"), onHoldMap),
			fm("PrimaryContactEmail", dirBoth, "emailaddress1"), fm("PrimaryContactPhone", dirBoth, "telephone1"),
			fm("AddressStreet", dirBoth, "address1_line1"), fm("AddressCity", dirBoth, "address1_city"),
			fm("AddressZipCode", dirBoth, "address1_postalcode"), fm("PartyNumber", dirToDV, "msdyn_partynumber"),
			withDefault(fm("", dirToDV, "customertypecode"), "3"), withDefault(fm("PartyType", dirToFO, ""), "Organization"),
		}},
	{FinOps: "CustomersV3", Dataverse: "contacts"}: {finOpsFilter: `((PartyType == "Person"))`, dataverseFilter: "msdyn_sellable eq true and msdyn_contactpersonid ne null",
		fields: []pairstate.Field{
			fm("CustomerAccount", dirBoth, "msdyn_contactpersonid"), fm("PersonFirstName", dirBoth, "firstname"),
			fm("PersonLastName", dirBoth, "lastname"), fm("CustomerGroupId", dirBoth, "msdyn_customergroupid.msdyn_groupid"),
			fm("PrimaryContactEmail", dirBoth, "emailaddress1"), fm("PartyNumber", dirToDV, "msdyn_partynumber"),
			withDefault(fm("", dirToDV, "msdyn_sellable"), "true"), withDefault(fm("PartyType", dirToFO, ""), "Person"),
		}},
	{FinOps: "Currencies", Dataverse: "transactioncurrencies"}: {finOpsFilter: `((CurrencyCode != "999"))`,
		fields: []pairstate.Field{fm("CurrencyCode", dirToDV, "isocurrencycode"), fm("Name", dirToDV, "currencyname"),
			fm("Symbol", dirToDV, "currencysymbol"), withDefault(fm("", dirToDV, "exchangerate"), "1.0000000000")}},
	{FinOps: "CustomerGroups", Dataverse: "msdyn_customergroups"}: {fields: []pairstate.Field{
		fm("CustomerGroupId", dirBoth, "msdyn_groupid"), fm("Description", dirBoth, "msdyn_description"),
		fm("PaymentTermId", dirBoth, "msdyn_paymenttermid.msdyn_name"),
		withMap(fm("IsSalesTaxIncludedInPrice", dirBoth, "msdyn_issalestaxincludedinprice"), map[string]string{"No": "false", "Yes": "true"})}},
	{FinOps: "VendorsV2", Dataverse: "msdyn_vendors"}: {finOpsFilter: `((VendorPartyType == "Organization") || (VendorPartyType == "Person"))`,
		fields: []pairstate.Field{
			fm("VendorAccountNumber", dirBoth, "msdyn_vendoraccountnumber"), fm("VendorOrganizationName", dirBoth, "msdyn_vendorname"),
			fm("VendorGroupId", dirBoth, "msdyn_vendorgroupid.msdyn_vendorgroup"), fm("CurrencyCode", dirBoth, "msdyn_currencycode.isocurrencycode"),
			withMap(fm("VendorPartyType", dirBoth, "msdyn_partytype"), map[string]string{"None": "192350000", "Person": "192350001", "Organization": "192350002"}),
			withMap(fm("OnHoldStatus", dirBoth, "msdyn_vendoronholdstatus"), onHoldMap),
			fm("PrimaryEmailAddress", dirBoth, "msdyn_primaryemailaddress"), fm("PrimaryPhoneNumber", dirBoth, "msdyn_primaryphonenumber"),
			fm("AddressCountryRegionId", dirBoth, "msdyn_addresscountryregionid"),
		}},
	{FinOps: "VendorGroups", Dataverse: "msdyn_vendorgroups"}: {fields: []pairstate.Field{
		fm("VendorGroupId", dirBoth, "msdyn_vendorgroup"), fm("Description", dirBoth, "msdyn_description"),
		fm("DefaultPaymentTermName", dirBoth, "msdyn_paymenttermid.msdyn_name")}},
	{FinOps: "LegalEntities", Dataverse: "cdm_companies"}: {fields: []pairstate.Field{fm("LegalEntityId", dirToDV, "cdm_companycode"), fm("Name", dirToDV, "cdm_name")}},
	{FinOps: "LegalEntities", Dataverse: "msdyn_internalorganizations"}: {fields: []pairstate.Field{
		fm("LegalEntityId", dirToDV, "msdyn_name"), fm("Name", dirToDV, "msdyn_description"), fm("LanguageId", dirToDV, "msdyn_languageid"),
		fm("PartyNumber", dirToDV, "msdyn_partynumber"), withDefault(fm("", dirToDV, "msdyn_type"), "806380000")}},
	{FinOps: "OperatingUnits", Dataverse: "msdyn_internalorganizations"}: {fields: []pairstate.Field{
		fm("OperatingUnitNumber", dirToDV, "msdyn_name"), fm("Name", dirToDV, "msdyn_description"),
		withDefault(fm("", dirToDV, "msdyn_type"), "806380001")}},
	{FinOps: "Warehouses", Dataverse: "msdyn_warehouses"}: {fields: []pairstate.Field{
		fm("WarehouseId", dirBoth, "msdyn_warehouseidentifier"), fm("WarehouseName", dirBoth, "msdyn_name"),
		fm("OperationalSiteId", dirBoth, "msdyn_operationalsite.msdyn_siteid")}},
	{FinOps: "UnitsOfMeasure", Dataverse: "uoms"}: {fields: []pairstate.Field{
		fm("UnitSymbol", dirBoth, "msdyn_symbol"), fm("UnitDescription", dirBoth, "name"), fm("UnitClass", dirBoth, "msdyn_unitclass"),
		fm("DecimalPrecision", dirBoth, "msdyn_decimalprecision")}},
}

// seedDefinition returns the definition of a seed pair: the published one, or the key and
// description pairing of the reference maps.
func (ct *catalog) seedDefinition(p tables.Pair) (pairstate.Def, bool) {
	fo, ok1 := ct.store.TableBySet(store.FinOps, p.FinOps)
	dv, ok2 := ct.store.TableBySet(store.Dataverse, p.Dataverse)
	if !ok1 || !ok2 {
		return pairstate.Def{}, false
	}
	def := pairstate.Def{FinOps: fo.EntitySet, Dataverse: dv.EntitySet}
	if s, ok := seedMaps[p]; ok {
		def.FinOpsFilter, def.DataverseFilter, def.Fields = s.finOpsFilter, s.dataverseFilter, append([]pairstate.Field(nil), s.fields...)
		return def, true
	}
	var foKey, dvKey string
	for _, col := range fo.Keys[0].Columns {
		if !strings.EqualFold(col, "dataAreaId") {
			foKey = col
			break
		}
	}
	if len(dv.Keys) > 0 {
		dvKey = dv.Keys[0].Columns[0]
	}
	if foKey == "" || dvKey == "" {
		return pairstate.Def{}, false
	}
	def.Fields = append(def.Fields, fm(foKey, dirBoth, dvKey))
	if _, ok := fo.Column("Description"); ok {
		if _, ok := dv.Column("msdyn_description"); ok {
			def.Fields = append(def.Fields, fm("Description", dirBoth, "msdyn_description"))
		}
	}
	return def, true
}

// seedMapsFor publishes the out-of-box maps, as "Apply solution" does after linking.
func (ct *catalog) seedMapsFor(st *pairstate.State, now time.Time) {
	st.Maps = nil
	for i, p := range tables.Pairs {
		def, ok := ct.seedDefinition(p)
		if !ok {
			continue
		}
		m := &pairstate.Map{State: pairstate.MapNotRunning}
		for _, rev := range []int{i%7 + 1, i%7 + 2} {
			v := [4]int{1, 0, 0, rev}
			id := wire.StableGUID("template:" + p.FinOps + "|" + p.Dataverse + "|Microsoft|" + mapversion.String(v))
			m.Templates = append(m.Templates, &pairstate.Template{ID: id, Author: "Microsoft", Version: v, ReadOnly: true,
				Created: now.Add(-time.Duration(400-rev*30) * 24 * time.Hour).UTC().Truncate(time.Second), Def: def})
		}
		m.Active = m.Templates[len(m.Templates)-1].ID
		st.Maps = append(st.Maps, m)
	}
}
