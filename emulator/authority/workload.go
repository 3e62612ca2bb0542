package authority

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/wire"
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
//     Identity is the emulator's application either way.
const (
	PipelinesOIDCPath = "/pipelines/oidctoken"
	GitHubOIDCPath    = "/github/idtoken"
	IdentityPath      = "/msi/token"
)

func (a *Authority) registerWorkload(mux *http.ServeMux) {
	mux.HandleFunc("POST "+PipelinesOIDCPath, a.servePipelinesOIDC)
	mux.HandleFunc("GET "+GitHubOIDCPath, a.serveGitHubOIDC)
	mux.HandleFunc("GET "+IdentityPath, a.serveManagedIdentity)
}

// derived is a stable secret of the identity for one purpose.
func (id Identity) derived(purpose string) string {
	h := sha256.Sum256([]byte(id.ClientSecret + "\x00" + purpose))
	return hex.EncodeToString(h[:16])
}

// runnerToken is the job access token (System.AccessToken) and the
// runner's ACTIONS_ID_TOKEN_REQUEST_TOKEN the OIDC sources accept.
func (a *Authority) RunnerToken() string { return a.id.derived("runner") }

// identityHeader is the IDENTITY_HEADER secret of the managed identity
// endpoint.
func (a *Authority) IdentityHeader() string { return a.id.derived("Identity-header") }

func (a *Authority) runnerOK(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(tok), []byte(a.RunnerToken())) != 1 {
		wire.WritePlainJSON(w, http.StatusUnauthorized, map[string]any{"message": "The access token of the job is missing or invalid."})
		return false
	}
	return true
}

func (a *Authority) servePipelinesOIDC(w http.ResponseWriter, r *http.Request) {
	if !a.runnerOK(w, r) {
		return
	}
	if r.URL.Query().Get("serviceConnectionId") == "" {
		wire.WritePlainJSON(w, http.StatusBadRequest, map[string]any{"message": "serviceConnectionId is required."})
		return
	}
	tok, err := a.TokenFor(FederatedAudience, 10*time.Minute)
	if err != nil {
		wire.WritePlainJSON(w, http.StatusInternalServerError, map[string]any{"message": "The token could not be signed."})
		return
	}
	wire.WritePlainJSON(w, http.StatusOK, map[string]any{"oidcToken": tok})
}

func (a *Authority) serveGitHubOIDC(w http.ResponseWriter, r *http.Request) {
	if !a.runnerOK(w, r) {
		return
	}
	if aud := r.URL.Query().Get("audience"); aud != FederatedAudience {
		wire.WritePlainJSON(w, http.StatusBadRequest, map[string]any{"message": "audience must be " + FederatedAudience + " for Entra workload identity federation."})
		return
	}
	tok, err := a.TokenFor(FederatedAudience, 10*time.Minute)
	if err != nil {
		wire.WritePlainJSON(w, http.StatusInternalServerError, map[string]any{"message": "The token could not be signed."})
		return
	}
	wire.WritePlainJSON(w, http.StatusOK, map[string]any{"count": 1, "value": tok})
}

func (a *Authority) serveManagedIdentity(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-IDENTITY-HEADER")), []byte(a.IdentityHeader())) != 1 {
		wire.WritePlainJSON(w, http.StatusUnauthorized, map[string]any{"statusCode": 401, "message": "X-IDENTITY-HEADER is missing or wrong."})
		return
	}
	if cid := q.Get("client_id"); cid != "" && !strings.EqualFold(cid, a.id.ClientID) {
		wire.WritePlainJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400,
			"message": "No user-assigned managed identity with client id " + cid + " is assigned to this resource."})
		return
	}
	resource := strings.TrimSuffix(q.Get("resource"), "/.default")
	resource = strings.TrimSuffix(resource, "/")
	known := append(append(LoopbackAliases(a.info.DataverseURL), LoopbackAliases(a.info.FinOpsURL)...), ControlAudience)
	if resource == "" || !AudienceMatches(resource, known) {
		wire.WritePlainJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400, "message": "The resource " + resource + " is not known to this tenant."})
		return
	}
	lifetime := a.lifetime
	tok, err := a.TokenFor(resource, lifetime)
	if err != nil {
		wire.WritePlainJSON(w, http.StatusInternalServerError, map[string]any{"statusCode": 500, "message": "The token could not be signed."})
		return
	}
	wire.WritePlainJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "resource": resource,
		"client_id": a.id.ClientID, "expires_on": strconv.FormatInt(a.clock().Add(lifetime).Unix(), 10)})
}
