package tables

import "github.com/dwctl/dwctl/emulator/store"

// Dataverse seed metadata: the tables of the out-of-box dual-write maps (dual-write.md §4.9) with their
// real entity set and logical names. Column lists cover what the maps and dwctl use; option values are
// the published ones where the map pages show them (customertypecode, msdyn_onholdstatus,
// msdyn_partytype) and [I] elsewhere.

var onHoldOptions = []store.Option{opt(806380000, "No"), opt(806380001, "Invoice"), opt(806380002, "All"),
	opt(806380003, "Payment"), opt(806380004, "Requisition"), opt(806380005, "Never")}

var partyTypeOptions = []store.Option{opt(192350000, "None"), opt(192350001, "Person"), opt(192350002, "Organization"),
	opt(192350003, "Legal entity"), opt(192350004, "Team"), opt(192350005, "Operating unit")}

// addressTypeCode is the address type option set of accounts and contacts [D].
var addressTypeCode = picklist("address1_addresstypecode", opt(1, "Bill To"), opt(2, "Ship To"), opt(3, "Primary"), opt(4, "Other"))

func dataverseSeedTables() []*store.Table {
	tables := []*store.Table{
		withKey(dvTable("cdm_company", "cdm_companies", "Company", req(str("cdm_name", 100)), false,
			req(str("cdm_companycode", 10)), boolean("cdm_isenabledfordualwrite"), lookup("cdm_defaultowningteam", "team")),
			"cdm_CompanyCodeKey", "cdm_companycode"), // [U] whether this key exists on the real table
		withKey(dvTable("account", "accounts", "Account", req(str("name", 160)), true,
			str("accountnumber", 20), picklist("customertypecode", opt(1, "Competitor"), opt(2, "Consultant"), opt(3, "Customer"),
				opt(4, "Investor"), opt(5, "Partner"), opt(6, "Influencer"), opt(7, "Press"), opt(8, "Prospect"), opt(9, "Reseller"),
				opt(10, "Supplier"), opt(11, "Vendor"), opt(12, "Other")),
			str("telephone1", 50), str("emailaddress1", 100), str("websiteurl", 200),
			str("address1_line1", 250), str("address1_city", 80), str("address1_postalcode", 20), str("address1_country", 80),
			integer("numberofemployees"), money("revenue"), money("creditlimit"), memo("description"),
			lookup("msdyn_customergroupid", "msdyn_customergroup"), lookup("transactioncurrencyid", "transactioncurrency"),
			lookup("msdyn_paymenttermid", "msdyn_paymentterm"), lookup("primarycontactid", "contact"),
			picklist("msdyn_onholdstatus", onHoldOptions...), picklist("msdyn_partytype", partyTypeOptions...),
			str("msdyn_partynumber", 40), boolean("msdyn_creditlimitisunlimited"),
			// Columns of the published Customers V3 (accounts) map examples/contoso uses [O: names of the map page].
			addressTypeCode, double("address1_latitude"), double("address1_longitude"), lookup("msdyn_billingaccount", "account"),
			str("msdyn_creditrating", 10), boolean("msdyn_onetimecustomer"), lookup("msdyn_paymentterm", "msdyn_paymentterm")),
			"msdyn_AccountNumberCompanyKey", "accountnumber", "msdyn_company"),
		withKey(dvTable("contact", "contacts", "Contact", ro(str("fullname", 160)), true,
			str("firstname", 50), req(str("lastname", 50)), str("emailaddress1", 100), str("telephone1", 50),
			str("jobtitle", 100), str("address1_city", 80), str("address1_country", 80),
			str("msdyn_contactpersonid", 50), boolean("msdyn_sellable"), boolean("msdyn_contactforvendor"), store.Column{Name: "parentcustomerid", Type: store.TypeCustomer, Targets: []string{"account", "contact"}}, lookup("msdyn_customergroupid", "msdyn_customergroup"), lookup("transactioncurrencyid", "transactioncurrency"),
			str("msdyn_partynumber", 40),
			// Columns of the Customers V3 and CDS Contacts V2 (contacts) maps [O: names of the map pages].
			str("middlename", 50), str("department", 100), str("address1_line1", 250), str("address1_postalcode", 20),
			addressTypeCode, lookup("msdyn_vendorcontactid", "msdyn_vendor")),
			"msdyn_ContactPersonIdCompanyKey", "msdyn_contactpersonid", "msdyn_company"),
		withKey(dvTable("transactioncurrency", "transactioncurrencies", "Currency", req(str("currencyname", 100)), false,
			req(str("isocurrencycode", 5)), str("currencysymbol", 10), req(decimal("exchangerate", 10)), integer("currencyprecision")),
			"TransactionCurrencyIsoCodeKey", "isocurrencycode"),
		refTable("msdyn_customergroup", "msdyn_customergroups", "Customer group", "msdyn_groupid", true,
			lookup("msdyn_paymenttermid", "msdyn_paymentterm"), boolean("msdyn_issalestaxincludedinprice")),
		// [U] which of msdyn_vendorname and msdyn_name the published map writes; neither is required here.
		withKey(dvTable("msdyn_vendor", "msdyn_vendors", "Vendor", str("msdyn_vendorname", 100), true,
			req(str("msdyn_vendoraccountnumber", 20)), lookup("msdyn_vendorgroupid", "msdyn_vendorgroup"),
			picklist("msdyn_partytype", partyTypeOptions...), picklist("msdyn_vendoronholdstatus", onHoldOptions...),
			lookup("msdyn_currencycode", "transactioncurrency"), str("msdyn_primaryemailaddress", 100), str("msdyn_primaryphonenumber", 50),
			str("msdyn_addresscountryregionid", 10), str("msdyn_partynumber", 40),
			// Columns of the published Vendors V2 map [O: names of the map page, msdyn_pimaryphonenumber sic].
			str("msdyn_name", 100), str("msdyn_vendorknownasname", 100), str("msdyn_vendorpartynumber", 40),
			lookup("msdyn_paymentterms", "msdyn_paymentterm"), lookup("msdyn_vendorpaymentmethod", "msdyn_vendorpaymentmethod"),
			boolean("msdyn_isperson"), str("msdyn_firstname", 50), str("msdyn_lastname", 50), money("msdyn_vendorcreditlimit"),
			str("msdyn_dunsnumber", 20), str("msdyn_pimaryphonenumber", 50), str("msdyn_addressstreet", 250),
			str("msdyn_addresscity", 80), str("msdyn_addresszipcode", 20), str("msdyn_addresscountryregionisocode", 10),
			double("msdyn_addresslatitude"), double("msdyn_addresslongitude"), boolean("msdyn_isonetimevendor")),
			"msdyn_VendorAccountNumberCompanyKey", "msdyn_vendoraccountnumber", "msdyn_company"),
		refTable("msdyn_vendorgroup", "msdyn_vendorgroups", "Vendor group", "msdyn_vendorgroup", true,
			lookup("msdyn_paymenttermid", "msdyn_paymentterm"), lookup("msdyn_paymentterms", "msdyn_paymentterm")),
		refTable("msdyn_internalorganization", "msdyn_internalorganizations", "Internal organization", "msdyn_name", false,
			picklist("msdyn_type", opt(806380000, "Legal entity"), opt(806380001, "Operating unit"), opt(806380002, "Team")),
			str("msdyn_languageid", 10), str("msdyn_partynumber", 40)),
		refTable("msdyn_paymentterm", "msdyn_paymentterms", "Terms of payment", "msdyn_name", true,
			integer("msdyn_numberofdays"), lookup("msdyn_paymentdayid", "msdyn_paymentday"), lookup("msdyn_paymentscheduleid", "msdyn_paymentschedule"),
			integer("msdyn_days"), integer("msdyn_numberofmonth"), integer("msdyn_cutoffdayofmonth"), boolean("msdyn_iscashpayment")),
		refTable("msdyn_customerpaymentmethod", "msdyn_customerpaymentmethods", "Customer payment method", "msdyn_name", true,
			integer("msdyn_discountgraceperioddays"), integer("msdyn_lastfilenumber")),
		refTable("msdyn_vendorpaymentmethod", "msdyn_vendorpaymentmethods", "Vendor payment method", "msdyn_name", true,
			integer("msdyn_discountgraceperioddays"), integer("msdyn_lastfilenumber")),
		refTable("msdyn_paymentday", "msdyn_paymentdays", "Payment days", "msdyn_name", true),
		refTable("msdyn_paymentschedule", "msdyn_paymentschedules", "Payment schedule", "msdyn_name", true, integer("msdyn_numberofpayments")),
		refTable("msdyn_nameaffix", "msdyn_nameaffixes", "Name affix", "msdyn_affix", false,
			picklist("msdyn_affixtype", opt(192350000, "Person prefix"), opt(192350001, "Person suffix"), opt(192350002, "Professional suffix"))),
		refTable("msdyn_exchangeratetype", "msdyn_exchangeratetypes", "Exchange rate type", "msdyn_name", false),
		withKey(dvTable("uom", "uoms", "Unit", req(str("name", 100)), false,
			str("msdyn_symbol", 10), str("msdyn_unitclass", 50), integer("msdyn_decimalprecision"), decimal("quantity", 10),
			str("msdyn_description", 100), str("msdyn_externalunitclassname", 50),
			// [I] option values; the published map has no value map, so the enum travels by member name.
			picklist("msdyn_systemofunits", opt(192350000, "None"), opt(192350001, "Metric"), opt(192350002, "United States"))),
			"msdyn_UnitSymbolKey", "msdyn_symbol"),
		// The Party & GAB solution's party table [O: names; key I].
		withKey(dvTable("msdyn_party", "msdyn_parties", "Party", str("msdyn_name", 200), false,
			req(str("msdyn_partynumber", 40)), picklist("msdyn_partytype", partyTypeOptions...)),
			"msdyn_PartyNumberKey", "msdyn_partynumber"),
		// CDS Exchange Rates [O: table and column names of the map; key I, as the example's integration key].
		withKey(dvTable("msdyn_currencyexchangerate", "msdyn_currencyexchangerates", "Currency exchange rate", str("msdyn_name", 100), false,
			req(str("msdyn_exchangeratetypename", 20)), req(str("msdyn_fromcurrencycode", 3)), req(str("msdyn_tocurrencycode", 3)),
			decimal("msdyn_exchangerate", 10), req(datetime("msdyn_validfrom")), datetime("msdyn_validto")),
			"msdyn_ExchangeRateKey", "msdyn_exchangeratetypename", "msdyn_fromcurrencycode", "msdyn_tocurrencycode", "msdyn_validfrom"),
		// Sales order headers of Prospect to cash [O: names of the map page; key and option labels I].
		withKey(dvTable("salesorder", "salesorders", "Order", req(str("name", 300)), true,
			str("msdyn_salesordernumber", 100), store.Column{Name: "customerid", Type: store.TypeCustomer, Targets: []string{"account", "contact"}}, lookup("msdyn_invoicecustomer", "account"), lookup("transactioncurrencyid", "transactioncurrency"),
			lookup("msdyn_paymentterms", "msdyn_paymentterm"), str("msdyn_customerrequisitionnumber", 100), datetime("requestdeliveryby"),
			str("shipto_line1", 250), str("shipto_city", 80), str("shipto_postalcode", 20), str("shipto_country", 80),
			money("totalamount"), money("totaltax"), picklist("msdyn_ordertype", opt(192350000, "Item based"), opt(192350001, "Service based"))),
			"msdyn_SalesOrderNumberCompanyKey", "msdyn_salesordernumber", "msdyn_company"),
		withKey(dvTable("msdyn_operationalsite", "msdyn_operationalsites", "Site", str("msdyn_sitename", 100), true,
			req(str("msdyn_siteid", 10))), "msdyn_SiteIdCompanyKey", "msdyn_siteid", "msdyn_company"),
		withKey(dvTable("msdyn_warehouse", "msdyn_warehouses", "Warehouse", str("msdyn_name", 100), true,
			req(str("msdyn_warehouseidentifier", 10)), lookup("msdyn_operationalsite", "msdyn_operationalsite")),
			"msdyn_WarehouseIdCompanyKey", "msdyn_warehouseidentifier", "msdyn_company"),
		refTable("msdyn_shipvia", "msdyn_shipvias", "Mode of delivery", "msdyn_name", true),
		refTable("msdyn_termsofdelivery", "msdyn_termsofdeliveries", "Terms of delivery", "msdyn_name", true),
		refTable("msdyn_taxcode", "msdyn_taxcodes", "Sales tax code", "msdyn_name", true, decimal("msdyn_taxvalue", 4)),
		refTable("msdyn_taxgroup", "msdyn_taxgroups", "Sales tax group", "msdyn_name", true),
		refTable("msdyn_mainaccount", "msdyn_mainaccounts", "Main account", "msdyn_mainaccountnumber", false,
			str("msdyn_name", 100), picklist("msdyn_type", opt(192350000, "Profit and loss"), opt(192350001, "Balance sheet"), opt(192350002, "Total"))),
		dvTable("businessunit", "businessunits", "Business Unit", req(str("name", 160)), false,
			lookup("parentbusinessunitid", "businessunit")),
		dvTable("team", "teams", "Team", req(str("name", 160)), false,
			lookup("businessunitid", "businessunit"), boolean("isdefault"),
			picklist("teamtype", opt(0, "Owner"), opt(1, "Access"), opt(2, "Security Group"), opt(3, "Office Group"))),
		withKey(dvTable("publisher", "publishers", "Publisher", req(str("friendlyname", 256)), false,
			req(str("uniquename", 256)), req(str("customizationprefix", 8)), store.Column{Name: "customizationoptionvalueprefix", Type: store.TypeInteger}, str("description", 2000)), "PublisherUniqueName", "uniquename"),
		withKey(dvTable("solution", "solutions", "Solution", req(str("friendlyname", 256)), false,
			req(str("uniquename", 65)), req(str("version", 256)), lookup("publisherid", "publisher"), boolean("ismanaged"),
			str("description", 2000)), "SolutionUniqueName", "uniquename"),
		dvTable("msdyn_dualwriteentitymap", "msdyn_dualwriteentitymaps", "Dual Write entity map", str("msdyn_name", 200), false,
			str("msdyn_displayname", 200), store.Column{Name: "msdyn_mapping", Type: store.TypeMemo, MaxLength: 1048576}, store.Column{Name: "msdyn_properties", Type: store.TypeMemo, MaxLength: 1048576}, str("msdyn_version", 50), store.Column{Name: "solutionid", Type: store.TypeUniqueID}),
		dvTable("msdyn_dualwriteruntimeconfig", "msdyn_dualwriteruntimeconfigs", "Dual Write Runtime Configuration", str("msdyn_name", 200), false, store.Column{Name: "msdyn_unsecure", Type: store.TypeMemo, MaxLength: 1048576}, str("msdyn_status", 50)),
	}
	for _, t := range tables {
		if t.Name == "transactioncurrency" || t.Name == "uom" || t.Name == "msdyn_internalorganization" || t.Name == "msdyn_exchangeratetype" ||
			t.Name == "msdyn_nameaffix" || t.Name == "msdyn_mainaccount" || t.Name == "cdm_company" || t.Name == "businessunit" ||
			t.Name == "msdyn_party" || t.Name == "msdyn_currencyexchangerate" || t.Name == "publisher" || t.Name == "solution" {
			t.OwnershipType = "OrganizationOwned"
		}
	}
	return tables
}
