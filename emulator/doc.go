// Package emulator is the local emulator of one dual-write pair: a Dataverse Web API
// (/api/data/v9.2/), an F&O OData service (/data/ and /Metadata/) and an Entra-style token authority,
// each on its own loopback TLS listener, with one self-signed CA kept in the data directory
// (Info.CAFile). It is a product feature — users try configurations against it — and the server every
// end-to-end test talks to over real HTTPS.
//
// It must never import the clients in providers/... nor cmd/...: the two sides meet only over HTTP, so
// a misunderstanding of the protocol cannot hide in shared code. It may import the pure packages
// (filter, mapping); only its tests import config, to check examples/contoso against the seeds.
//
// # Starting
//
// Start(ctx, Options{DataDir: dir}) opens or creates the pair in dir and returns once the three
// listeners serve; Info gives the URLs, tenant id, client id and secret (generated at first start and
// stable afterwards) and the CA file. Close stops everything and flushes the database.
//
// # Token authority
//
// GET /{tenant}/v2.0/.well-known/openid-configuration (and the v1 form), GET /common/discovery/instance,
// GET /{tenant}/discovery/v2.0/keys, POST /{tenant}/oauth2/v2.0/token (client credentials; scope
// "{resource}/.default", extra "openid offline_access profile" tolerated) and POST /{tenant}/oauth2/token
// (v1, resource=). The client authenticates with its secret or, for workload identity, with a
// client assertion that is a federated token of this authority (TokenFor(FederatedAudience, ...)).
// Tokens are RS256 JWTs with aud (the resource asked for), iss, exp, tid, appid. The
// Dataverse and F&O listeners accept only tokens for their own base URL; a missing, expired or
// wrong-audience token gets 401 with a WWW-Authenticate challenge. Tokens for ControlAudience are
// issued too, for handlers mounted on the authority listener with HandleAuthority; such handlers call
// Authorize(r, ControlAudience).
//
// # Control plane
//
// The dual-write control plane (control*.go) is served on the authority listener (Info.ControlURL)
// in the shape of the management gateway (protocols.md §4.5): Environments, Entities, Start,
// Status, SwitchActive, ConnectionSet, IntegrationKeys, ProjectExecutionWithCompanies, plus dwctl's
// own calls for linking, legal entities, alerts and saving versions. Its state is one JSON setting
// in the store. Requests progress when polled (SetControlPolls); initial syncs copy rows between the
// two services through the mapping package; CopyDataTo (and POST ControlRefreshPath) simulates a
// database refresh. docs/control-plane.md describes the behaviour.
//
// # Live sync
//
// The runtime (runtime*.go) makes running maps behave like the service (dual-write.md §8): a create,
// update, upsert or delete on either data service — single requests and $batch change sets alike —
// is carried to the other side through the map's field mappings, value maps, defaults, company
// striping and the source side's filter, in the same store transaction. When the other side
// refuses the write (a mandatory field, a lookup that does not resolve, a key conflict, a value too
// long) the original write fails with the dual-write message ("Unable to write data to entity …")
// and nothing is kept on either side. Writes made by dual-write itself do not trigger it again.
// Paused maps queue changes in the database and replay them in order on resume, or skip them
// (keeping or discarding the queue) per the resume parameters; QueuedChanges reads a queue.
// Several maps on one table each apply with their own filters. Alert settings with the action
// Pause or Stop pause or stop the running maps once live-sync failures reach their threshold.
// The company plug-in gives a cdm_company row enabled for dual-write a business unit and a
// "CODE DW" owner team as its default owning team.
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
package emulator
