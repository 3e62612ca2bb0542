package tables

import "github.com/dwctl/dwctl/emulator/store"

// F&O seed metadata: the public data entities of the out-of-box dual-write maps and the entities dwctl
// reads (legal entities, number sequences, dual-write runtime configuration). Entity and field names
// follow protocols.md §3.10 and the map pages [O]; names of entities the notes do not list are [I].

var partyTypeEnum = []string{"None", "Person", "Organization"}

var blockedEnum = []string{"No", "Invoice", "All", "Payment", "Requisition", "Never"}

func finOpsSeedTables() []*store.Table {
	return []*store.Table{
		foEntity("LegalEntity", "LegalEntities", "Legal entities", false, []string{"LegalEntityId"},
			str("LegalEntityId", 4), str("Name", 100), str("CompanyName", 100), str("PartyNumber", 40), str("LanguageId", 7),
			str("AddressCountryRegionId", 10), str("TimeZone", 60)),
		foEntity("Company", "Companies", "Companies", false, []string{"DataArea"},
			str("DataArea", 4), str("Name", 100), str("KnownAs", 100), str("LanguageId", 7), str("PartyNumber", 40)),
		foEntity("CustomerV3", "CustomersV3", "Customers V3", true, []string{"CustomerAccount"},
			str("CustomerAccount", 20), str("OrganizationName", 100), enum("PartyType", "DirPartyBaseType", partyTypeEnum...),
			str("PersonFirstName", 25), str("PersonLastName", 25), req(str("CustomerGroupId", 10)), str("SalesCurrencyCode", 3),
			foReal("CreditLimit"), noYes("CreditLimitIsMandatory"), enum("OnHoldStatus", "CustVendorBlocked", blockedEnum...),
			str("PaymentTerms", 10), str("PrimaryContactEmail", 255), str("PrimaryContactPhone", 255),
			str("AddressCountryRegionId", 10), str("AddressCity", 60), str("AddressStreet", 250), str("AddressZipCode", 10),
			str("LanguageId", 7), str("PartyNumber", 40), str("CustomerType", 20),
			// The fields of the published Customers V3 maps examples/contoso uses [O: field names of the map pages].
			str("PersonMiddleName", 25), str("PersonProfessionalTitle", 50), str("AddressCountryRegionISOCode", 10),
			str("AddressLocationRoles", 100), str("CreditRating", 10), str("DeliveryAddressStreet", 250),
			str("DeliveryAddressCity", 60), str("DeliveryAddressZipCode", 10), str("DeliveryAddressCountryRegionISOCode", 10),
			foReal("DeliveryAddressLatitude"), foReal("DeliveryAddressLongitude"), str("InvoiceAccount", 20),
			noYes("IsOneTimeCustomer"), str("PrimaryContactURL", 255), str("SalesMemo", 0)),
		foEntity("ContactPersonV2", "ContactPersonsV2", "Contact persons V2", true, []string{"ContactPersonId"}, // [I] entity name
			str("ContactPersonId", 20), str("FirstName", 25), str("LastName", 25), str("PrimaryEmailAddress", 255),
			str("PrimaryPhoneNumber", 255), enum("AssociatedContactType", "ContactPersonAssociatedContactType", "None", "Customer", "Vendor"),
			str("AssociatedContactNumber", 20), str("ContactPersonPartyNumber", 40)),
		foEntity("CustomerGroup", "CustomerGroups", "Customer groups", true, []string{"CustomerGroupId"},
			str("CustomerGroupId", 10), str("Description", 60), str("PaymentTermId", 10), noYes("IsSalesTaxIncludedInPrice")),
		foEntity("VendorV2", "VendorsV2", "Vendors V2", true, []string{"VendorAccountNumber"},
			str("VendorAccountNumber", 20), str("VendorOrganizationName", 100), enum("VendorPartyType", "DirPartyBaseType", partyTypeEnum...),
			req(str("VendorGroupId", 10)), str("CurrencyCode", 3), enum("OnHoldStatus", "CustVendorBlocked", blockedEnum...),
			str("PrimaryEmailAddress", 255), str("PrimaryPhoneNumber", 255), str("AddressCountryRegionId", 10), str("PartyNumber", 40),
			// The fields of the published Vendors V2 map [O: field names of the map page; lengths I].
			str("VendorKnownAsName", 100), str("VendorPartyNumber", 40), str("DefaultPaymentTermsName", 10),
			str("DefaultVendorPaymentMethodName", 10), str("PersonFirstName", 25), str("PersonLastName", 25), foReal("CreditLimit"),
			str("DUNSNumber", 20), str("AddressStreet", 250), str("AddressCity", 60), str("AddressZipCode", 10),
			str("AddressCountryRegionISOCode", 10), foReal("AddressLatitude"), foReal("AddressLongitude"), noYes("IsOneTimeVendor")),
		foEntity("VendorGroup", "VendorGroups", "Vendor groups", true, []string{"VendorGroupId"},
			str("VendorGroupId", 10), str("Description", 60), str("DefaultPaymentTermName", 10)),
		foEntity("Currency", "Currencies", "Currencies", false, []string{"CurrencyCode"},
			str("CurrencyCode", 3), str("Name", 60), str("Symbol", 5), foReal("RoundingPrecision"), str("ReferenceCurrencyForTriangulation", 3)),
		foEntity("OperatingUnit", "OperatingUnits", "Operating unit", false, []string{"OperatingUnitNumber"},
			str("OperatingUnitNumber", 20), str("Name", 100), enum("OperatingUnitType", "OMOperatingUnitType", "None", "Department", "CostCenter", "ValueStream", "BusinessUnit")),
		foEntity("PaymentTerm", "PaymentTerms", "Terms of payment", true, []string{"Name"},
			str("Name", 10), str("Description", 60), foInt("NumberOfDays"), str("PaymentDayName", 10), str("PaymentScheduleName", 10),
			foInt("NumberOfMonths"), foInt("CutOffDayOfMonth"), noYes("IsCashPayment")),
		foEntity("CustomerPaymentMethod", "CustomerPaymentMethods", "Customer payment method", true, []string{"Name"},
			str("Name", 10), str("Description", 60), foInt("DiscountGracePeriodDays"), foInt("LastFileNumber")),
		foEntity("VendorPaymentMethod", "VendorPaymentMethods", "Vendor payment method", true, []string{"Name"},
			str("Name", 10), str("Description", 60), foInt("DiscountGracePeriodDays"), foInt("LastFileNumber")),
		foEntity("PaymentDayCDS", "PaymentDaysCDS", "Payment days CDS", true, []string{"Name"},
			str("Name", 10), str("Description", 60)),
		foEntity("PaymentSchedule", "PaymentSchedules", "Payment schedule", true, []string{"Name"},
			str("Name", 10), str("Description", 60), foInt("NumberOfPayments")),
		foEntity("PersonNameAffix", "PersonNameAffixes", "Name affixes", false, []string{"Affix", "AffixType"},
			str("Affix", 20), enum("AffixType", "DirNameAffixType", "PersonalPrefix", "PersonalSuffix", "ProfessionalSuffix"), str("Description", 60)),
		foEntity("ExchangeRateType", "ExchangeRateTypes", "Exchange rate type", false, []string{"Name"},
			str("Name", 20), str("Description", 60)),
		foEntity("UnitOfMeasure", "UnitsOfMeasure", "Units", false, []string{"UnitSymbol"},
			str("UnitSymbol", 10), str("UnitDescription", 100), str("UnitClass", 20), foInt("DecimalPrecision"), noYes("IsBaseUnit"),
			enum("SystemOfUnits", "UnitOfMeasureSystemOfUnits", "None", "Metric", "UnitedStates")), // [I] enum members
		foEntity("CDSParty", "CDSParties", "CDS Parties", false, []string{"PartyNumber"}, // [I] collection name (label [O])
			str("PartyNumber", 40), str("Name", 100),
			enum("PartyType", "DirPartyType", "None", "Person", "Organization", "LegalEntity", "Team", "OperatingUnit")), // [I] members
		foEntity("ExchangeRate", "ExchangeRates", "CDS Exchange Rates", false, // [I] collection name (label [O])
			[]string{"ExchangeRateTypeName", "FromCurrencyCode", "ToCurrencyCode", "ValidFrom"},
			str("ExchangeRateTypeName", 20), str("FromCurrencyCode", 3), str("ToCurrencyCode", 3), foReal("Rate"),
			foDate("ValidFrom"), foDate("ValidTo")),
		foEntity("CDSContactPersonV2", "CDSContactsV2", "CDS Contacts V2", true, []string{"ContactPersonId"}, // [I] collection name
			str("ContactPersonId", 20), str("ContactPersonPartyNumber", 40), str("AssociatedContactNumber", 20),
			enum("AssociatedContactType", "smmContactPersonCDSType", "Customer", "Vendor"), // [I] members: the map's filter reads Vendor as 1
			str("FirstName", 25), str("MiddleName", 25), str("LastName", 25), str("EmploymentProfession", 60),
			str("EmploymentDepartment", 60), str("PrimaryEmailAddress", 255), str("PrimaryPhoneNumber", 255)),
		foEntity("CDSSalesOrderHeader", "CDSSalesOrderHeaders", "CDS sales order headers", true, []string{"SalesOrderNumber"}, // [I] collection name
			str("SalesOrderNumber", 20), str("SalesOrderName", 100), str("OrderingCustomerAccountNumber", 20),
			str("InvoiceCustomerAccountNumber", 20), str("CurrencyCode", 3), str("PaymentTermsName", 10),
			str("CustomerRequisitionNumber", 20), foDate("RequestedShippingDate"), str("DeliveryAddressStreet", 250),
			str("DeliveryAddressCity", 60), str("DeliveryAddressZipCode", 10), str("DeliveryAddressCountryRegionISOCode", 10),
			foReal("OrderTotalAmount"), foReal("OrderTotalTaxAmount")),
		foEntity("OperationalSite", "OperationalSites", "Sites", true, []string{"SiteId"},
			str("SiteId", 10), str("SiteName", 60)),
		foEntity("Warehouse", "Warehouses", "Warehouses", true, []string{"WarehouseId"},
			str("WarehouseId", 10), str("WarehouseName", 60), str("OperationalSiteId", 10)),
		foEntity("DeliveryMode", "DeliveryModes", "Modes of delivery", true, []string{"ModeCode"},
			str("ModeCode", 10), str("ModeDescription", 60)),
		foEntity("DeliveryTerm", "DeliveryTerms", "Terms of delivery", true, []string{"TermsCode"},
			str("TermsCode", 10), str("TermsDescription", 60)),
		foEntity("SalesTaxCode", "SalesTaxCodes", "Sales tax codes", true, []string{"TaxCode"},
			str("TaxCode", 10), str("TaxName", 60), foReal("TaxValue")),
		foEntity("SalesTaxGroup", "SalesTaxGroups", "Sales tax groups", true, []string{"TaxGroupCode"},
			str("TaxGroupCode", 10), str("Description", 60)),
		foEntity("MainAccount", "MainAccounts", "Main account", false, []string{"MainAccountId", "ChartOfAccounts"},
			str("MainAccountId", 20), str("ChartOfAccounts", 60), str("Name", 60),
			enum("MainAccountType", "DimensionLedgerAccountType", "ProfitAndLoss", "Revenue", "Expense", "BalanceSheet", "Asset", "Liability", "Equity", "Total")),
		foEntity("NumberSequenceTableV2", "SequenceV2Tables", "Number sequence codes", false, []string{"NumberSequenceCode", "ScopeType", "ScopeValue"},
			str("NumberSequenceCode", 20), enum("ScopeType", "NumberSequenceType", "DataArea", "DataAreaFiscalCalender", "LegalEntity",
				"LegalEntityFiscalCalender", "OperatingUnit", "OperatingUnitType", "Shared"), str("ScopeValue", 20), str("Name", 60), // [I] Shared's place
			foInt("Next"), foInt("Smallest"), foInt("Largest"), str("Format", 40), str("AnnotatedFormat", 80), foReal("Interval"),
			noYes("Manual"), noYes("Continuous"), noYes("Preallocation"), foInt("QuantityOfNumbers"), noYes("ToALowerNumber"),
			noYes("ToAHigherNumber"), noYes("Cyclical"), noYes("Stopped"), ro(noYes("InUse")), noYes("CleanUp"), noYes("SkipCounting"),
			str("Company", 4)),
		foEntity("NumberSequenceV2Reference", "NumberSequencesV2References", "Number sequence references", false,
			[]string{"DataTypeName", "ScopeType", "ScopeValue"},
			str("DataTypeName", 60), str("NumberSequenceCode", 20), noYes("ReuseNumbers"),
			enum("ScopeType", "NumberSequenceType", "DataArea", "DataAreaFiscalCalender", "LegalEntity", "LegalEntityFiscalCalender", "OperatingUnit", "OperatingUnitType", "Shared"),
			str("ScopeValue", 20)),
		foEntity("DualWriteProjectConfiguration", "DualWriteProjectConfigurations", "Dual-write project configurations", false, []string{"ProjectName"},
			str("ProjectName", 100), str("ExternalEntityName", 100), str("ExternalLogicalEntityName", 100), str("InternalEntityName", 100),
			str("ExternalEnvironmentUrl", 255), enum("Status", "DualWriteProjectStatus", "Enabled", "Disabled", "Queueing=4"),
			enum("AsyncMode", "DualWriteAsyncMode", "RequiredSync", "RequiredAsync", "PreferredSync", "None"),
			noYes("IsDebugMode"), noYes("EnableBatchLookup"), noYes("EnableCache"), noYes("IsDelete"), noYes("DisablePerfEnhancements"),
			noYes("EnableFailureReconciliation"), str("IntegrationKey", 1000), str("QueryFilterExpression", 4000), str("FieldMap", 0),
			str("PartitionMap", 0), str("ExternalLookupUrls", 0), str("SyncExecutionId", 60)),
		foEntity("DualWriteProjectPartitionMapping", "DualWriteProjectPartitionMappings", "Dual-write partition mappings", false,
			[]string{"ProjectName", "ExternalCompanyName", "InternalCompanyName"},
			str("ProjectName", 100), str("ExternalCompanyName", 100), str("InternalCompanyName", 4)),
	}
}

// Pair is one out-of-box dual-write map: F&O public collection and Dataverse entity set.
type Pair struct{ FinOps, Dataverse string }

// Pairs are the maps of dual-write.md §4.9 whose both sides the seed metadata holds.
var Pairs = []Pair{
	{"CustomersV3", "accounts"}, {"CustomersV3", "contacts"}, {"Currencies", "transactioncurrencies"},
	{"CustomerGroups", "msdyn_customergroups"}, {"VendorsV2", "msdyn_vendors"}, {"VendorGroups", "msdyn_vendorgroups"},
	{"LegalEntities", "cdm_companies"}, {"LegalEntities", "msdyn_internalorganizations"}, {"OperatingUnits", "msdyn_internalorganizations"},
	{"PaymentTerms", "msdyn_paymentterms"}, {"CustomerPaymentMethods", "msdyn_customerpaymentmethods"},
	{"VendorPaymentMethods", "msdyn_vendorpaymentmethods"}, {"PaymentDaysCDS", "msdyn_paymentdays"},
	{"PaymentSchedules", "msdyn_paymentschedules"}, {"PersonNameAffixes", "msdyn_nameaffixes"},
	{"ExchangeRateTypes", "msdyn_exchangeratetypes"}, {"UnitsOfMeasure", "uoms"}, {"OperationalSites", "msdyn_operationalsites"},
	{"Warehouses", "msdyn_warehouses"}, {"DeliveryModes", "msdyn_shipvias"}, {"DeliveryTerms", "msdyn_termsofdeliveries"},
	{"SalesTaxCodes", "msdyn_taxcodes"}, {"SalesTaxGroups", "msdyn_taxgroups"}, {"MainAccounts", "msdyn_mainaccounts"},
}
