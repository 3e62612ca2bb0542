// Package maptest runs the tests of table maps that *.dwtest.hcl files
// declare (dwctl test): sample rows of one side go through the map's
// filter of that side and its field mappings (package mapping, the engine
// the emulator's live sync and the dwctl-mode copy share), and the rows
// the map writes to the other side are compared with the expected ones —
// or the expected error with the one the mapping raises.
//
//	test "organisations become accounts" {
//	  map = table_map.customers
//
//	  finops = [                     # the source rows (or dataverse = [...])
//	    { CUSTOMERACCOUNT = "US-001", PARTYTYPE = "Organization", ONHOLDSTATUS = "no" },
//	  ]
//
//	  expect = [                     # the rows written to the other side, in order
//	    { accountnumber = "US-001", msdyn_onholdstatus = 806380000, "msdyn_customergroupid.msdyn_groupid" = "10" },
//	  ]
//	}
//
// An expected row names the columns it checks; the map may write others.
// `expect = []` says every source row is filtered out.
// `expect_error = "text"` instead of expect says the mapping fails with an
// error containing text. Tests run offline against the configuration only;
// a company-specific map's company columns are whatever the rows carry.
//
// Every failed expectation is an hcl.Diagnostic on the line of the value
// (or block) that does not hold.
//
// The package must never import a provider implementation, the emulator,
// the applier or cmd/dwctl.
//
// Import rule: never providers/dataverse providers/finops providers/dualwrite providers/transport
// providers/odata emulator/... applier live connection view cmd/...
package maptest
