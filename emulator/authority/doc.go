// Package authority is the emulator's Entra-style token authority: the CA every listener's
// certificate comes from, the tenant's identity (the one registered application, the ids WhoAmI
// reports), the RS256 signing key and the application's certificate, all kept in the data directory
// and stable across restarts, plus the token endpoints and the workload token sources (Azure
// Pipelines and GitHub OIDC, App Service managed identity).
//
// GET /{tenant}/v2.0/.well-known/openid-configuration (and the v1 form), GET /common/discovery/instance,
// GET /{tenant}/discovery/v2.0/keys, POST /{tenant}/oauth2/v2.0/token (client credentials; scope
// "{resource}/.default", extra "openid offline_access profile" tolerated) and POST /{tenant}/oauth2/token
// (v1, resource=). The client authenticates with its secret or, for workload identity, with a
// client assertion that is a federated token of this authority (Authority.TokenFor(FederatedAudience, ...)).
// Tokens are RS256 JWTs with aud (the resource asked for), iss, exp, tid, appid. The
// Dataverse and F&O listeners accept only tokens for their own base URL; a missing, expired or
// wrong-audience token gets 401 with a WWW-Authenticate challenge. Tokens for ControlAudience are
// issued too, for the control plane, which checks them with Authorize(r, ControlAudience).
//
// Import rule: only emulator/wire
package authority
