package authority

import (
	"crypto/tls"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
)

// ControlAudience is the audience of tokens for the dual-write control plane (the gateway's scope
// https://IntegratorApp.com/.default [O]); the authority issues them and Authorize accepts them.
const ControlAudience = "https://IntegratorApp.com"

// Authority is the token authority of one emulated tenant: its CA, its identity (tenant, the one
// registered application and the ids WhoAmI reports), its signing key and the application's
// certificate, all kept in the data directory and stable across restarts.
type Authority struct {
	ca       *authorityCA
	appCert  *appCertificate
	id       Identity
	signer   *tokenSigner
	clock    func() time.Time
	lifetime time.Duration
	info     Endpoints
	log      hclog.Logger
}

// Endpoints are the base URLs of the pair, known once its listeners are open.
type Endpoints struct {
	AuthorityURL, DataverseURL, FinOpsURL string
}

// Open loads the authority kept in dir, or creates it at first start. clock is the emulator's time;
// lifetime that of the access tokens it issues; log gets a line per token issued.
func Open(dir string, clock func() time.Time, lifetime time.Duration, log hclog.Logger) (*Authority, error) {
	a := &Authority{clock: clock, lifetime: lifetime, log: log}
	var err error
	if a.ca, err = loadOrCreateCA(dir); err != nil {
		return nil, err
	}
	if a.id, err = loadOrCreateIdentity(dir); err != nil {
		return nil, err
	}
	key, err := loadOrCreateTokenKey(dir)
	if err != nil {
		return nil, err
	}
	if a.appCert, err = loadOrCreateAppCertificate(dir, a.id.ClientID); err != nil {
		return nil, err
	}
	a.signer = newTokenSigner(key)
	return a, nil
}

// SetEndpoints tells the authority where the pair listens: the issuer of its tokens and the resources
// it issues them for.
func (a *Authority) SetEndpoints(ep Endpoints) { a.info = ep }

// Identity returns the tenant, application and ids of the authority.
func (a *Authority) Identity() Identity { return a.id }

// CAFile is the path of the CA certificate (PEM) clients must trust.
func (a *Authority) CAFile() string { return a.ca.path }

// ClientCertificateFile is the certificate registered on the application, with its private key (PEM).
func (a *Authority) ClientCertificateFile() string { return a.appCert.path }

// ServerTLS returns the TLS configuration of a listener on host, with a certificate of the CA.
func (a *Authority) ServerTLS(host string) (*tls.Config, error) { return a.ca.serverConfig(host) }

// Register mounts the token endpoints and the workload token sources on mux.
func (a *Authority) Register(mux *http.ServeMux) { a.registerAuthority(mux) }

// Authorize checks the bearer token of r: signed by this authority, within its lifetime, issued to
// the registered application and for one of audiences.
func (a *Authority) Authorize(r *http.Request, audiences ...string) (Claims, error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return Claims{}, errTokenMissing
	}
	c, err := a.signer.verify(strings.TrimSpace(token))
	if err != nil {
		return Claims{}, err
	}
	if err := validateClaims(c, a.clock(), a.id.ClientID, audiences); err != nil {
		return Claims{}, err
	}
	return c, nil
}

// LoopbackAliases returns base and its localhost/127.0.0.1 twin: both name the same resource.
func LoopbackAliases(base string) []string {
	out := []string{base}
	switch {
	case strings.Contains(base, "//127.0.0.1:"):
		out = append(out, strings.Replace(base, "//127.0.0.1:", "//localhost:", 1))
	case strings.Contains(base, "//localhost:"):
		out = append(out, strings.Replace(base, "//localhost:", "//127.0.0.1:", 1))
	}
	return out
}
