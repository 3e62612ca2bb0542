// Package dualwrite is the client of the dual-write control plane: the link of an F&O environment,
// its legal entities, integration keys, alert settings and table maps with their versions, states
// and asynchronous requests. It implements providers.ControlPlane.
//
// # UNSUPPORTED BY MICROSOFT
//
// Microsoft publishes no API for the dual-write control plane. This client speaks the shape of the
// internal "dual-write management gateway" that Microsoft's own automation
// (microsoft/Dual-write-automations, itself labelled "not supported by Microsoft in any way … can
// break anytime") drives with a delegated user token [O]. The gateway may change without notice.
// The client therefore decodes what planning depends on strictly and fails closed: an unknown map
// state, an unknown request state, or a required field that is missing is a *ChangedError naming the
// call and the field ("the gateway changed"), never a guess that could turn into a wrong plan. Fields
// the client does not use are ignored, since the real gateway sends many more than the tool's types
// name.
//
// Every call follows the shapes Microsoft's automation relies on [O] (docs/control-plane.md has the
// table with citations), except three operations no public source shows a call for: creating a link
// and adding or removing legal entities, and writing alert settings [U]. The planner turns those into
// manual steps against any gateway that is not the emulator (Probe tells), unless the link opts in.
//
//	[O] GET  {gw}/api/DualWriteManagement/1.0/Version                          probe
//	[O] GET  {gw}/api/DualWriteManagement/1.0/Environments?targetType=AX&identifier={F&O host}
//	[O] GET  {gw}/api/ConnectionSet/{cname}                            environments keyed by name
//	[U] POST {gw}/api/ConnectionSet                                     create a link
//	[O] POST {gw}/api/ConnectionSet/{cid}/Reset?targetType=AX&forceReset={bool}
//	[U] POST {gw}/api/ConnectionSet/{cid}/LegalEntities[/Remove]       add/remove companies
//	[U] POST {gw}/api/ConnectionSet/{cid}/AlertSettings                 replace alert settings
//	[O] POST {gw}/api/dataset/{Dataverse dataset}/IntegrationKeys       one table a request
//	[O] GET  {gw}/api/DualWriteManagement/1.0/Entities?targetType=AX&cid={cid}   every map, one call
//	[O] GET  {gw}/api/DualWriteManagement/1.0/{pid}/FieldMappings       the active version
//	[O] POST {gw}/api/Project/{project name}/Refresh                    refresh tables
//	[O] POST {gw}/api/DualWriteManagement/1.0/GetTemplatePrerequisiteSequences/{cid}
//	[O] GET  {gw}/api/DualWriteManagement/1.0/SolutionAware/{cid}/Solutions/
//	[O] POST {gw}/api/DualWriteManagement/1.0/SolutionAware/{cid}/RestoreTemplates   apply a solution
//	[O] GET  {gw}/api/DualWriteManagement/1.0/SolutionAware/{cid}/Status/{requestId}
//	[O] POST {gw}/api/DualWriteManagement/1.0/SolutionAware/{cid}/SwitchActive/{tid}?pid={pid}
//	[O] POST {gw}/api/DualWriteManagement/1.0/Start                     actions 1, 4, 5, 6, 8
//	[O] GET  {gw}/api/DualWriteManagement/1.0/Status/{requestId}
//	[O] GET  {gw}/api/ProjectExecutionWithCompanies/{pid}               newest run kept
//
// Saving a map version is not a gateway call: the applier stores the version as a
// msdyn_dualwriteentitymap row of an unmanaged solution through the Dataverse Web API [D], then
// applies the solution (RestoreTemplates) and switches to the new version here.
//
// Decoding is strict where planning depends on an answer and tolerant elsewhere: an unknown request
// action or an unreadable alert becomes a warning (providers.Map.Warnings,
// providers.LinkDetails.Warnings), never a failed read.
//
// Requests go through providers/transport (TLS verification, loopback-only plain HTTP, retries of
// 429 and of 5xx for requests that are safe to repeat, logs without tokens or bodies). Asynchronous
// requests are polled with exponential backoff under a timeout; the clock and the sleep are
// injectable (PollOptions) so tests never wait.
//
// # Authentication
//
// The gateway wants a token for the resource https://IntegratorApp.com (scope
// https://IntegratorApp.com/.default). People sign in once with Login (device code; `dwctl login`),
// which keeps the account and its refresh token in a file cache (CachePath, mode 0600) that
// UserCredential reads silently afterwards. Pipelines pass a credential built from the environment
// (client secret or workload identity, see providers/transport); the observed tool says app-only
// tokens for this resource are "for future releases", so today such a credential works against the
// emulator and will most likely be refused by the real gateway — a pipeline that must reach the real
// service points DWCTL_GATEWAY_TOKEN_CACHE at a cache file made by `dwctl login`.
//
// This package must never import the emulator, the planner, the applier, config or cmd/...; it may
// import providers, providers/transport and mapversion.
//
// Import rule: only providers providers/transport mapversion
package dualwrite
