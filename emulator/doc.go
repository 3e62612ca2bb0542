// Package emulator is the local emulator of one dual-write pair: a Dataverse Web API
// (/api/data/v9.2/), an F&O OData service (/data/ and /Metadata/), an Entra-style token authority and
// the dual-write control plane, on three loopback TLS listeners with one self-signed CA kept in the
// data directory (Info.CAFile). It is a product feature — users try configurations against it — and
// the server every end-to-end test talks to over real HTTPS.
//
// This package only wires the rooms, each a package of its own:
//
//   - store: the pair's SQLite store (rows, metadata, key indexes, settings, queues);
//   - tables and seed: the standard tables and the seed data;
//   - authority: the CA, the identity and the token authority;
//   - wire: what the two data services share on the wire (errors, paths, queries, $batch);
//   - dataverse and finops: the two data services;
//   - copier and livesync: the row copy and the live-sync runtime;
//   - control and pairstate: the dual-write control plane and what it keeps about the pair;
//   - faults and protection: fault injection and service protection limits, in front of every
//     listener (service.go), with the bearer check.
//
// The emulator never imports the clients in providers/... nor cmd/...: the two sides meet only over
// HTTP, so a misunderstanding of the protocol cannot hide in shared code. It may import the pure
// packages (filter, mapping); only its tests import config, to check examples/contoso.
//
// # Starting
//
// Start(ctx, Options{DataDir: dir}) opens or creates the pair in dir and returns once the three
// listeners serve; Info gives the URLs, tenant id, client id and secret (generated at first start and
// stable afterwards) and the CA file. Close stops everything and flushes the database.
//
// # Data services
//
// protocols.md §6 is the checklist. Entity-set routing, GUID ids, W/"version" ETags, $select,
// $filter (evaluated by the filter package: Web API dialect for Dataverse, OData dialect for F&O),
// $orderby, $top, $count, $expand of lookups; 400 for $skip/$search/$format on Dataverse; paging with
// Prefer: odata.maxpagesize and $skiptoken cookies (Dataverse) and server-driven $skip paging (F&O,
// Options.FinOpsPageSize); create/upsert/update/delete with If-Match/If-None-Match; alternate keys with
// the Pending → InProgress → Active (or Failed) index lifecycle (Options.KeyIndexDelay); $batch with
// atomic change sets, Content-ID references and odata.continue-on-error; Dataverse EntityDefinitions
// (Attributes, Keys, autonumber formats, SetAutoNumberSeed, GetAutoNumberSeed, GetNextAutoNumberValue);
// F&O cross-company=true (without it only the DAT company is visible), composite keys with
// dataAreaId, AxODataWriteException failures, /Metadata/PublicEntities and PublicEnumerations.
// Service protection limits per application user over a sliding window (Options.DataverseLimits,
// Options.FinOpsLimits; defaults 6000 requests, 1,200 s execution time per 300 s, 52 concurrent) answer
// 429 with Retry-After. Change tracking: Prefer: odata.track-changes and $deltatoken (7-day tokens),
// with $deletedEntity tombstones. Deep insert through single-valued navigation properties. Custom
// tables (POST EntityDefinitions), columns and keys can be created. odata.include-annotations gives
// FormattedValue, lookuplogicalname and associatednavigationproperty on rows (not on errors). Every
// Dataverse answer carries REQ_ID and the x-ms-ratelimit-*-remaining-xrm-requests headers.
//
// Not emulated: deep insert of collections, collection-valued navigation, nested $expand, $apply;
// lambda operators (any/all) and F&O arithmetic in $filter are refused with 400, as are the query
// functions the filter package does not evaluate (it does In, NotIn, Between and NotBetween).
//
// # Faults
//
// Options.Faults (see ParseFaults, e.g. "503:0.1,429:0.05,drop:0.02,latency:20ms,seed:7") applies to
// both data listeners. Every listener also serves FaultsPath (/_emulator/faults), without a token:
// GET shows the state, POST {"spec": "...", "next": ["429", "drop", "503"]} replaces the spec and/or
// queues faults for the next requests in order (deterministic tests; "none" lets one through), DELETE
// clears. The data listeners also serve LimitsPath (/_emulator/limits) to read or replace their service
// protection limits at run time.
//
// Import rule: only emulator/...
package emulator
