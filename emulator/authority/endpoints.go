package authority

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/wire"
)

// registerAuthority mounts the Entra-style endpoints azidentity/MSAL use for client credentials with
// DisableInstanceDiscovery (protocols.md §1.6 [S]) plus the v1 token endpoint older F&O scripts use.
func (a *Authority) registerAuthority(mux *http.ServeMux) {
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", a.serveOpenIDConfig)
	mux.HandleFunc("GET /{tenant}/.well-known/openid-configuration", a.serveOpenIDConfig)
	mux.HandleFunc("GET /common/discovery/instance", a.serveInstanceDiscovery)
	mux.HandleFunc("GET /{tenant}/discovery/v2.0/keys", a.serveKeys)
	mux.HandleFunc("GET /{tenant}/discovery/keys", a.serveKeys)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", a.serveToken)
	mux.HandleFunc("POST /{tenant}/oauth2/token", a.serveToken)
	a.registerWorkload(mux)
}

// tenantOK accepts the tenant id (and, like Entra, its lowercase/uppercase forms).
func (a *Authority) tenantOK(w http.ResponseWriter, r *http.Request) bool {
	if strings.EqualFold(r.PathValue("tenant"), a.id.TenantID) {
		return true
	}
	a.oauthError(w, http.StatusBadRequest, "invalid_request", 90002,
		"Tenant '"+r.PathValue("tenant")+"' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
	return false
}

func (a *Authority) serveOpenIDConfig(w http.ResponseWriter, r *http.Request) {
	if !a.tenantOK(w, r) {
		return
	}
	base := a.info.AuthorityURL + "/" + a.id.TenantID
	v2 := strings.Contains(r.URL.Path, "/v2.0/")
	issuer, token, authz, keys := base+"/", base+"/oauth2/token", base+"/oauth2/authorize", base+"/discovery/keys"
	if v2 {
		issuer, token, authz, keys = base+"/v2.0", base+"/oauth2/v2.0/token", base+"/oauth2/v2.0/authorize", base+"/discovery/v2.0/keys"
	}
	wire.WritePlainJSON(w, http.StatusOK, map[string]any{
		"issuer": issuer, "token_endpoint": token, "authorization_endpoint": authz, "jwks_uri": keys,
		"token_endpoint_auth_methods_supported":  []string{"client_secret_post", "client_secret_basic"},
		"response_types_supported":               []string{"code", "id_token", "code id_token", "id_token token"},
		"subject_types_supported":                []string{"pairwise"},
		"id_token_signing_alg_values_supported":  []string{"RS256"},
		"scopes_supported":                       []string{"openid", "profile", "email", "offline_access"},
		"tenant_region_scope":                    "EU",
		"cloud_instance_name":                    "emulator",
		"request_uri_parameter_supported":        false,
		"device_authorization_endpoint":          base + "/oauth2/v2.0/devicecode",
		"end_session_endpoint":                   base + "/oauth2/v2.0/logout",
		"http_logout_supported":                  true,
		"frontchannel_logout_supported":          true,
		"claims_supported":                       []string{"sub", "iss", "aud", "exp", "iat", "nbf", "tid", "appid", "oid"},
		"kerberos_endpoint":                      base + "/kerberos",
		"userinfo_endpoint":                      base + "/openid/userinfo",
		"response_modes_supported":               []string{"query", "fragment", "form_post"},
		"microsoft_multi_refresh_token":          true,
		"rbac_url":                               a.info.AuthorityURL,
		"cloud_graph_host_name":                  "graph.emulator.invalid",
		"msgraph_host":                           "graph.emulator.invalid",
		"token_endpoint_auth_signing_alg_values": []string{"RS256"},
	})
}

// serveInstanceDiscovery answers MSAL's instance discovery for clients that do not disable it; the
// emulator is its own only alias.
func (a *Authority) serveInstanceDiscovery(w http.ResponseWriter, r *http.Request) {
	host := strings.TrimPrefix(a.info.AuthorityURL, "https://")
	tenantEndpoint := a.info.AuthorityURL + "/" + a.id.TenantID + "/v2.0/.well-known/openid-configuration"
	wire.WritePlainJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": tenantEndpoint,
		"api-version":               "1.1",
		"metadata":                  []map[string]any{{"preferred_network": host, "preferred_cache": host, "aliases": []string{host}}},
	})
}

func (a *Authority) serveKeys(w http.ResponseWriter, r *http.Request) {
	wire.WritePlainJSON(w, http.StatusOK, map[string]any{"keys": []any{a.signer.jwk()}})
}

// serveToken implements the client-credentials grant (v2 with scope, v1 with resource).
func (a *Authority) serveToken(w http.ResponseWriter, r *http.Request) {
	if !a.tenantOK(w, r) {
		return
	}
	if err := r.ParseForm(); err != nil {
		a.oauthError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must be application/x-www-form-urlencoded.")
		return
	}
	if !a.clientOK(w, r) {
		return
	}
	v1 := !strings.Contains(r.URL.Path, "/v2.0/")
	resource, ok := a.requestedResource(w, r, v1)
	if !ok {
		return
	}
	now := a.clock()
	lifetime := a.lifetime
	c := Claims{
		Audience: resource, Issuer: a.info.AuthorityURL + "/" + a.id.TenantID + "/v2.0",
		IssuedAt: now.Unix(), NotBefore: now.Unix(), Expires: now.Add(lifetime).Unix(),
		TenantID: a.id.TenantID, AppID: a.id.ClientID, AZP: a.id.ClientID, ObjectID: a.id.ObjectID,
		Subject: a.id.ObjectID, IDType: "app", Version: "2.0",
	}
	tok, err := a.signer.sign(c)
	if err != nil {
		a.oauthError(w, http.StatusInternalServerError, "server_error", 90033, "The token could not be signed.")
		return
	}
	a.log.Debug("token issued", "client_id", a.id.ClientID, "audience", resource)
	secs := int(lifetime.Seconds()) - 1
	body := map[string]any{"token_type": "Bearer", "expires_in": secs, "ext_expires_in": secs, "access_token": tok}
	if v1 {
		body = map[string]any{"token_type": "Bearer", "expires_in": strconv.Itoa(secs), "ext_expires_in": strconv.Itoa(secs),
			"expires_on": strconv.FormatInt(c.Expires, 10), "not_before": strconv.FormatInt(c.NotBefore, 10),
			"resource": resource, "access_token": tok}
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	wire.WritePlainJSON(w, http.StatusOK, body)
}

// clientOK checks grant type, client id and secret (form fields or HTTP Basic).
func (a *Authority) clientOK(w http.ResponseWriter, r *http.Request) bool {
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		if gt == "" {
			a.oauthError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
		} else {
			a.oauthError(w, http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"+gt+"'.")
		}
		return false
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, secret = u, p
	}
	switch {
	case id == "":
		a.oauthError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.")
	case !strings.EqualFold(id, a.id.ClientID):
		a.oauthError(w, http.StatusBadRequest, "unauthorized_client", 700016,
			"Application with identifier '"+id+"' was not found in the directory '"+a.id.TenantID+"'.")
	case r.PostForm.Get("client_assertion") != "":
		return a.assertionOK(w, r)
	case secret == "":
		a.oauthError(w, http.StatusUnauthorized, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.")
	case subtle.ConstantTimeCompare([]byte(secret), []byte(a.id.ClientSecret)) != 1:
		a.oauthError(w, http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"+a.id.ClientID+"'.")
	default:
		return true
	}
	return false
}

// FederatedAudience is the audience of a federated (workload identity) token that the authority
// accepts as a client assertion in place of the secret [D for Entra: api://AzureADTokenExchange].
const FederatedAudience = "api://AzureADTokenExchange"

// assertionOK accepts a client assertion that is signed with the certificate registered on the
// application (the client_certificate method), or a federated token issued by this authority (see
// TokenFor with FederatedAudience), as Entra accepts tokens of a trusted issuer for workload identity.
func (a *Authority) assertionOK(w http.ResponseWriter, r *http.Request) bool {
	if r.PostForm.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		a.oauthError(w, http.StatusBadRequest, "invalid_request", 700027, "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.")
		return false
	}
	assertion := r.PostForm.Get("client_assertion")
	if certErr := a.appCert.verifyAssertion(assertion, a.id.ClientID, a.info.AuthorityURL, a.clock()); certErr == nil {
		return true
	} else if !strings.Contains(certErr.Error(), "not signed with the certificate") {
		a.oauthError(w, http.StatusUnauthorized, "invalid_client", 700027, "Client assertion failed: "+certErr.Error()+".")
		return false
	}
	c, err := a.signer.verify(assertion)
	if err == nil {
		err = validateClaims(c, a.clock(), a.id.ClientID, []string{FederatedAudience})
	}
	if err != nil {
		a.oauthError(w, http.StatusUnauthorized, "invalid_client", 700027,
			"Client assertion failed: it must be a federated token of this authority for "+FederatedAudience+" ("+DescribeTokenError(err)+").")
		return false
	}
	return true
}

// requestedResource returns the audience asked for: scope "{resource}/.default" (v2; MSAL adds
// "openid offline_access profile", which are tolerated) or resource= (v1).
func (a *Authority) requestedResource(w http.ResponseWriter, r *http.Request, v1 bool) (string, bool) {
	var resource string
	if v1 && r.PostForm.Get("resource") != "" {
		resource = r.PostForm.Get("resource")
	} else {
		scopes := strings.Fields(r.PostForm.Get("scope"))
		for _, s := range scopes {
			switch {
			case s == "openid" || s == "offline_access" || s == "profile":
			case strings.HasSuffix(s, "/.default") && resource == "":
				resource = strings.TrimSuffix(s, "/.default")
			default:
				a.oauthError(w, http.StatusBadRequest, "invalid_scope", 1002012, "The provided value for scope "+s+" is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
				return "", false
			}
		}
		if resource == "" {
			a.oauthError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.")
			return "", false
		}
	}
	resource = strings.TrimSuffix(resource, "/")
	known := append(append(LoopbackAliases(a.info.DataverseURL), LoopbackAliases(a.info.FinOpsURL)...), ControlAudience)
	if !AudienceMatches(resource, known) {
		a.oauthError(w, http.StatusBadRequest, "invalid_resource", 500011, "The resource principal named "+resource+" was not found in the tenant named "+a.id.TenantID+".")
		return "", false
	}
	return resource, true
}

// oauthError writes the Entra error JSON [D].
func (a *Authority) oauthError(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	now := a.clock().UTC()
	trace, corr := wire.NewGUID(), wire.NewGUID()
	full := "AADSTS" + strconv.Itoa(aadsts) + ": " + desc + " Trace ID: " + trace + " Correlation ID: " + corr + " Timestamp: " + now.Format("2006-01-02 15:04:05Z")
	wire.WritePlainJSON(w, status, map[string]any{
		"error": code, "error_description": full, "error_codes": []int{aadsts},
		"timestamp": now.Format("2006-01-02 15:04:05Z"), "trace_id": trace, "correlation_id": corr,
		"error_uri": a.info.AuthorityURL + "/error?code=" + strconv.Itoa(aadsts),
	})
}

// TokenFor issues an access token for audience as the authority would, for the emulator's own
// parts (and tests) that need one without a round trip.
func (a *Authority) TokenFor(audience string, lifetime time.Duration) (string, error) {
	now := a.clock()
	return a.signer.sign(Claims{Audience: audience, Issuer: a.info.AuthorityURL + "/" + a.id.TenantID + "/v2.0",
		IssuedAt: now.Unix(), NotBefore: now.Unix(), Expires: now.Add(lifetime).Unix(),
		TenantID: a.id.TenantID, AppID: a.id.ClientID, AZP: a.id.ClientID, ObjectID: a.id.ObjectID, Subject: a.id.ObjectID, IDType: "app", Version: "2.0"})
}
