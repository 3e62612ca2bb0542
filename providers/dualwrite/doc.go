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
// The client therefore decodes every answer strictly and fails closed: an unknown map state, an
// unknown request state, or a required field that is missing is a *ChangedError naming the call and
// the field ("the gateway changed"), never a guess that could turn into a wrong plan. Fields the
// client does not use are ignored, since the real gateway sends many more than the tool's types name.
//
// Against the emulator (package emulator) every call is served; against the real gateway the calls
// marked [O] below follow the observed tool, the others are dwctl's own shape [U] and will most
// likely be refused by the real service:
//
//	[O] GET  {gw}/api/DualWriteManagement/1.0/Environments?targetType=AX&identifier={F&O host}
//	[O] GET  {gw}/api/ConnectionSet/{cname}
//	[U] POST {gw}/api/ConnectionSet                                     create a link
//	[O] POST {gw}/api/ConnectionSet/{cid}/Reset?targetType=AX&forceReset={bool}
//	[U] POST {gw}/api/ConnectionSet/{cid}/LegalEntities[/Remove]       add/remove companies
//	[U] POST {gw}/api/ConnectionSet/{cid}/AlertSettings                 replace alert settings
//	[O] POST {gw}/api/dataset/{cname}/IntegrationKeys
//	[O] GET  {gw}/api/DualWriteManagement/1.0/Entities?targetType=AX&cid={cid}   every map, one call
//	[U] GET  {gw}/api/DualWriteManagement/1.0/Templates/{tid}/FieldMappings     a version's definition
//	[U] POST {gw}/api/DualWriteManagement/1.0/Templates                 save a version
//	[O] POST {gw}/api/DualWriteManagement/1.0/SolutionAware/{cid}/SwitchActive/{tid}?pid={pid}
//	[O] POST {gw}/api/DualWriteManagement/1.0/Start                     actions 1, 4, 5, 6, 8
//	[O] GET  {gw}/api/DualWriteManagement/1.0/Status/{requestId}
//	[O] GET  {gw}/api/ProjectExecutionWithCompanies/{pid}
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
// import providers and providers/transport.
package dualwrite
