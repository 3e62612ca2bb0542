package config

import (
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var environmentSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "url", Required: true}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "auth"}},
}

var authSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "method"}, {Name: "tenant_id"}, {Name: "client_id"}, {Name: "client_secret"},
		{Name: "client_certificate_path"}, {Name: "client_certificate_password"},
		{Name: "federated_token_file"}, {Name: "authority_host"},
		{Name: "service_connection_id"}, {Name: "system_access_token"},
	},
}

// AuthMethods are the allowed values of auth.method.
var AuthMethods = []string{"default", "client_secret", "client_certificate", "workload_identity", "azure_pipelines",
	"github_actions", "managed_identity", "azure_cli"}

func (l *loader) decodeEnvironments() {
	for _, b := range l.blocks["environment"] {
		kind, name := b.Labels[0], b.Labels[1]
		if kind != string(FinOps) && kind != string(Dataverse) {
			l.errorf(b.LabelRanges[0], "Invalid environment kind",
				"%q is not an environment kind; use \"finops\" or \"dataverse\".", kind)
			continue
		}
		if !l.checkName(b, 1, "environment") {
			continue
		}
		if prev, ok := l.cfg.Environments[name]; ok {
			l.errorf(b.DefRange, "Duplicate environment", "An environment %q was already declared at %s; environment names are unique across kinds.", name, prev.DeclRange)
			continue
		}
		env := &Environment{Kind: EnvironmentKind(kind), Name: name, DeclRange: b.DefRange}
		l.cfg.Environments[name] = env
		content, diags := b.Body.Content(environmentSchema)
		l.diags = append(l.diags, diags...)
		s := l.scope(nil)
		if a, ok := content.Attributes["url"]; ok {
			env.URLRange = a.Expr.Range()
			if u, ok := s.str(a); ok {
				env.URL, env.Emulator = l.checkURL(u, a.Expr.Range())
				if env.Emulator != "" {
					env.EmulatorSeed, env.EmulatorRows = l.emulatorSeed(env, u, a.Expr.Range())
				}
			}
		}
		for _, ab := range content.Blocks {
			env.Auth = l.decodeAuth(ab)
		}
	}
}

// checkName checks that label i of b is an identifier.
func (l *loader) checkName(b *hcl.Block, i int, what string) bool {
	if hclsyntax.ValidIdentifier(b.Labels[i]) {
		return true
	}
	l.errorf(b.LabelRanges[i], "Invalid "+what+" name",
		"%q is not a valid name: start with a letter and use letters, digits, underscores and dashes.", b.Labels[i])
	return false
}

// emulatorSeeds are the seed data sets of each side of the emulator.
var emulatorSeeds = map[EnvironmentKind][]string{FinOps: {"empty", "demo", "existing"}, Dataverse: {"empty", "existing"}}

// emulatorSeed reads the seed options of an emulator URL:
// emulator://NAME?seed=SET&rows=N.
func (l *loader) emulatorSeed(env *Environment, raw string, rng hcl.Range) (string, int) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", 0
	}
	q := u.Query()
	seed, rows := q.Get("seed"), 0
	for k := range q {
		if k != "seed" && k != "rows" {
			l.errorf(rng, "Invalid emulator URL", "emulator://NAME takes the options seed and rows, not %q: emulator://NAME?seed=existing&rows=50.", k)
		}
	}
	if seed != "" && !slices.Contains(emulatorSeeds[env.Kind], seed) {
		l.errorf(rng, "Unknown emulator seed", "The %s emulator is seeded with one of %s, not %q.", env.Kind, strings.Join(emulatorSeeds[env.Kind], ", "), seed)
		seed = ""
	}
	if v := q.Get("rows"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000000 {
			l.errorf(rng, "Invalid emulator rows", "rows is the number of seed rows per company and table, from 1 to 1,000,000, not %q.", v)
		} else {
			rows = n
		}
	}
	return seed, rows
}

// checkURL accepts https URLs, http to loopback, and emulator://NAME.
func (l *loader) checkURL(raw string, rng hcl.Range) (string, string) {
	u, err := url.Parse(raw)
	switch {
	case err == nil && u.User != nil:
		l.errorf(rng, "Credentials in a URL", "%s carries a user name or password. Remove them from the URL: "+
			"credentials go into the auth block, from sensitive variables.", u.Redacted())
	case err == nil && u.Scheme != "emulator" && (u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#")):
		u.RawQuery, u.ForceQuery, u.Fragment = "", false, ""
		l.errorf(rng, "Invalid environment URL", "%q has a query or a fragment, which dwctl would silently drop. Write the environment's base URL alone, such as %s.", raw, u.String())
	case err != nil || u.Host == "":
		l.errorf(rng, "Invalid environment URL", "%q is not an absolute URL; write https://HOST or emulator://NAME.", raw)
	case u.Scheme == "emulator":
		if !hclsyntax.ValidIdentifier(u.Host) || (u.Path != "" && u.Path != "/") || u.Fragment != "" {
			l.errorf(rng, "Invalid emulator URL", "Write emulator://NAME, where NAME is a letter followed by letters, digits, underscores or dashes.")
			return raw, ""
		}
		return raw, u.Host
	case u.Scheme == "https":
		return strings.TrimRight(raw, "/"), ""
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return strings.TrimRight(raw, "/"), ""
	case u.Scheme == "http":
		l.errorf(rng, "Insecure environment URL", "Plain http:// is refused except to a loopback address; use https://.")
	default:
		l.errorf(rng, "Invalid environment URL", "The scheme %q is not supported; write https://HOST or emulator://NAME.", u.Scheme)
	}
	return raw, ""
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (l *loader) decodeAuth(b *hcl.Block) *Auth {
	auth := &Auth{DeclRange: b.DefRange}
	content, diags := b.Body.Content(authSchema)
	l.diags = append(l.diags, diags...)
	s := l.scope(nil)
	if a, ok := content.Attributes["method"]; ok {
		auth.Method, _ = s.oneOf(a, AuthMethods...)
	}
	fields := map[string]*Secret{
		"tenant_id": &auth.TenantID, "client_id": &auth.ClientID, "client_secret": &auth.ClientSecret,
		"client_certificate_path": &auth.CertificatePath, "client_certificate_password": &auth.CertificatePass,
		"federated_token_file": &auth.FederatedTokenFile, "authority_host": &auth.AuthorityHost,
		"service_connection_id": &auth.ServiceConnectionID, "system_access_token": &auth.SystemAccessToken,
	}
	for name, dst := range fields {
		if a, ok := content.Attributes[name]; ok {
			if v, ok := s.str(a); ok {
				*dst = NewSecret(v)
				l.cfg.secrets = append(l.cfg.secrets, v)
			}
		}
	}
	if auth.Method == "client_secret" && !auth.ClientSecret.IsSet() {
		l.errorf(b.DefRange, "Missing client secret", "auth.method = \"client_secret\" needs tenant_id, client_id and client_secret.")
	}
	if auth.Method == "azure_pipelines" && (!auth.TenantID.IsSet() || !auth.ClientID.IsSet() || !auth.ServiceConnectionID.IsSet()) {
		l.errorf(b.DefRange, "Missing service connection",
			"auth.method = \"azure_pipelines\" needs tenant_id, client_id and service_connection_id (the service connection's id); "+
				"the job's token comes from system_access_token or SYSTEM_ACCESSTOKEN.")
	}
	if auth.Method == "github_actions" && (!auth.TenantID.IsSet() || !auth.ClientID.IsSet()) {
		l.errorf(b.DefRange, "Missing app registration",
			"auth.method = \"github_actions\" needs tenant_id and client_id of the app registration that trusts the repository.")
	}
	return auth
}
