package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The token sources of the places dwctl runs without a secret, served by
// the authority so that azidentity's own credentials are exercised [D for
// each protocol; the paths are the emulator's own, handed over through the
// environment variables the real ones use]:
//
//   - Azure Pipelines: POST {SYSTEM_OIDCREQUESTURI}?serviceConnectionId=…
//     with the job's access token → {"oidcToken": …}, a federated token
//     for api://AzureADTokenExchange (AzurePipelinesCredential);
//   - GitHub Actions: GET {ACTIONS_ID_TOKEN_REQUEST_URL}&audience=… with
//     the runner's request token → {"value": …};
//   - managed identity, the App Service protocol (2019-08-01): GET
//     {IDENTITY_ENDPOINT}?resource=…[&client_id=…] with header
//     X-IDENTITY-HEADER: {IDENTITY_HEADER} → an access token for the
//     resource, system-assigned or (client_id) user-assigned; the
//     identity is the emulator's application either way.
const (
	pipelinesOIDCPath = "/pipelines/oidctoken"
	githubOIDCPath    = "/github/idtoken"
	identityPath      = "/msi/token"
)

func (e *Emulator) registerWorkload(mux *http.ServeMux) {
	mux.HandleFunc("POST "+pipelinesOIDCPath, e.servePipelinesOIDC)
	mux.HandleFunc("GET "+githubOIDCPath, e.serveGitHubOIDC)
	mux.HandleFunc("GET "+identityPath, e.serveManagedIdentity)
}

// derived is a stable secret of the identity for one purpose.
func (id identity) derived(purpose string) string {
	h := sha256.Sum256([]byte(id.ClientSecret + "\x00" + purpose))
	return hex.EncodeToString(h[:16])
}

// runnerToken is the job access token (System.AccessToken) and the
// runner's ACTIONS_ID_TOKEN_REQUEST_TOKEN the OIDC sources accept.
func (e *Emulator) runnerToken() string { return e.id.derived("runner") }

// identityHeader is the IDENTITY_HEADER secret of the managed identity
// endpoint.
func (e *Emulator) identityHeader() string { return e.id.derived("identity-header") }

func (e *Emulator) runnerOK(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(tok), []byte(e.runnerToken())) != 1 {
		writePlainJSON(w, http.StatusUnauthorized, map[string]any{"message": "The access token of the job is missing or invalid."})
		return false
	}
	return true
}

func (e *Emulator) servePipelinesOIDC(w http.ResponseWriter, r *http.Request) {
	if !e.runnerOK(w, r) {
		return
	}
	if r.URL.Query().Get("serviceConnectionId") == "" {
		writePlainJSON(w, http.StatusBadRequest, map[string]any{"message": "serviceConnectionId is required."})
		return
	}
	tok, err := e.TokenFor(FederatedAudience, 10*time.Minute)
	if err != nil {
		writePlainJSON(w, http.StatusInternalServerError, map[string]any{"message": "The token could not be signed."})
		return
	}
	writePlainJSON(w, http.StatusOK, map[string]any{"oidcToken": tok})
}

func (e *Emulator) serveGitHubOIDC(w http.ResponseWriter, r *http.Request) {
	if !e.runnerOK(w, r) {
		return
	}
	if aud := r.URL.Query().Get("audience"); aud != FederatedAudience {
		writePlainJSON(w, http.StatusBadRequest, map[string]any{"message": "audience must be " + FederatedAudience + " for Entra workload identity federation."})
		return
	}
	tok, err := e.TokenFor(FederatedAudience, 10*time.Minute)
	if err != nil {
		writePlainJSON(w, http.StatusInternalServerError, map[string]any{"message": "The token could not be signed."})
		return
	}
	writePlainJSON(w, http.StatusOK, map[string]any{"count": 1, "value": tok})
}

func (e *Emulator) serveManagedIdentity(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-IDENTITY-HEADER")), []byte(e.identityHeader())) != 1 {
		writePlainJSON(w, http.StatusUnauthorized, map[string]any{"statusCode": 401, "message": "X-IDENTITY-HEADER is missing or wrong."})
		return
	}
	if cid := q.Get("client_id"); cid != "" && !strings.EqualFold(cid, e.id.ClientID) {
		writePlainJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400,
			"message": "No user-assigned managed identity with client id " + cid + " is assigned to this resource."})
		return
	}
	resource := strings.TrimSuffix(q.Get("resource"), "/.default")
	resource = strings.TrimSuffix(resource, "/")
	known := append(append(loopbackAliases(e.info.DataverseURL), loopbackAliases(e.info.FinOpsURL)...), ControlAudience)
	if resource == "" || !audienceMatches(resource, known) {
		writePlainJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400, "message": "The resource " + resource + " is not known to this tenant."})
		return
	}
	lifetime := e.opts.TokenLifetime
	tok, err := e.TokenFor(resource, lifetime)
	if err != nil {
		writePlainJSON(w, http.StatusInternalServerError, map[string]any{"statusCode": 500, "message": "The token could not be signed."})
		return
	}
	writePlainJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "resource": resource,
		"client_id": e.id.ClientID, "expires_on": strconv.FormatInt(e.clock().Add(lifetime).Unix(), 10)})
}
