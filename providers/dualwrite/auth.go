package dualwrite

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"

	"github.com/dwctl/dwctl/providers/transport"
)

// Defaults of the delegated sign-in [O]: the public client the Data Integrator portal uses and the
// multi-tenant authority.
const (
	DefaultClientID      = "2e49aa60-1bd3-43b6-8ab6-03ada3d9f08b"
	DefaultTenant        = "organizations"
	DefaultAuthorityHost = "https://login.microsoftonline.com/"
)

// CacheEnv names a token cache file that replaces the default one (pipelines point it at a cache
// made by `dwctl login`, kept as a secure file).
const CacheEnv = "DWCTL_GATEWAY_TOKEN_CACHE"

// ErrNotSignedIn is returned by UserCredential's GetToken when the cache holds no usable session.
var ErrNotSignedIn = errors.New("not signed in to the dual-write gateway, or the session expired: run `dwctl login`")

// LoginOptions configure the delegated sign-in and its cache. Zero values take the defaults.
type LoginOptions struct {
	// TenantID is the tenant (default "organizations"); ClientID the public client (DefaultClientID).
	TenantID, ClientID string
	// AuthorityHost is the Entra authority (default DefaultAuthorityHost). For a loopback authority
	// instance discovery is turned off.
	AuthorityHost string
	// CachePath is the token cache file (default: $DWCTL_GATEWAY_TOKEN_CACHE, else
	// dwctl/gateway-token.json under the user's config directory). It is written with mode 0600.
	CachePath string
	// CAFile, when set, is the only CA trusted when talking to the authority.
	CAFile string
	// HTTPClient replaces the client built from CAFile.
	HTTPClient *http.Client
	// Prompt shows the device-code message ("To sign in, use a web browser to open …"). Required
	// for Login.
	Prompt func(message string)
}

// Account is the signed-in user Login reports.
type Account struct {
	Username string
	TenantID string
}

// DefaultCachePath returns the token cache file used when LoginOptions.CachePath is empty.
func DefaultCachePath() (string, error) {
	if p := os.Getenv(CacheEnv); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("dual-write login: no user config directory: %w", err)
	}
	return filepath.Join(dir, "dwctl", "gateway-token.json"), nil
}

func (o LoginOptions) withDefaults() (LoginOptions, error) {
	if o.TenantID == "" {
		o.TenantID = DefaultTenant
	}
	if o.ClientID == "" {
		o.ClientID = DefaultClientID
	}
	if o.AuthorityHost == "" {
		o.AuthorityHost = DefaultAuthorityHost
	}
	if _, err := transport.CheckURL(o.AuthorityHost); err != nil {
		return o, fmt.Errorf("dual-write login: %w", err)
	}
	if o.CachePath == "" {
		p, err := DefaultCachePath()
		if err != nil {
			return o, err
		}
		o.CachePath = p
	}
	if o.HTTPClient == nil {
		hc, err := transport.NewHTTPClient(o.CAFile)
		if err != nil {
			return o, fmt.Errorf("dual-write login: %w", err)
		}
		o.HTTPClient = hc
	}
	return o, nil
}

// app builds the MSAL public client over the file cache.
func (o LoginOptions) app(f *fileCache) (public.Client, error) {
	authority := strings.TrimSuffix(o.AuthorityHost, "/") + "/" + o.TenantID
	host := strings.TrimPrefix(strings.TrimPrefix(o.AuthorityHost, "https://"), "http://")
	host = strings.TrimSuffix(strings.SplitN(host, "/", 2)[0], "/")
	h := host
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	return public.New(o.ClientID, public.WithAuthority(authority), public.WithCache(f),
		public.WithHTTPClient(o.HTTPClient), public.WithInstanceDiscovery(!transport.IsLoopback(h)))
}

// Login signs a person in with the device-code flow for the gateway's scope and keeps the account
// and its refresh token in the cache file, for UserCredential.
func Login(ctx context.Context, o LoginOptions) (Account, error) {
	o, err := o.withDefaults()
	if err != nil {
		return Account{}, err
	}
	if o.Prompt == nil {
		return Account{}, errors.New("dual-write login: no prompt to show the device code")
	}
	f := &fileCache{path: o.CachePath}
	app, err := o.app(f)
	if err != nil {
		return Account{}, fmt.Errorf("dual-write login: %w", err)
	}
	dc, err := app.AcquireTokenByDeviceCode(ctx, []string{Scope})
	if err != nil {
		return Account{}, fmt.Errorf("dual-write login: %w", err)
	}
	o.Prompt(dc.Result.Message)
	res, err := dc.AuthenticationResult(ctx)
	if err != nil {
		return Account{}, fmt.Errorf("dual-write login: %w", err)
	}
	if err := f.setAccount(res.Account.HomeAccountID, o.ClientID, o.TenantID); err != nil {
		return Account{}, err
	}
	return Account{Username: res.Account.PreferredUsername, TenantID: res.Account.Realm}, nil
}

// userCredential is an azcore.TokenCredential over the cache Login fills: it refreshes silently
// and never prompts.
type userCredential struct {
	o LoginOptions
}

// UserCredential returns the credential of the person who signed in with Login. The client id and
// tenant Login used are kept in the cache and win over those of o: a refresh token can only be
// redeemed by the client it was issued to.
func UserCredential(o LoginOptions) (azcore.TokenCredential, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	return &userCredential{o: o}, nil
}

// GetToken returns a token for the scopes from the cache, refreshing it when needed.
func (u *userCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f := &fileCache{path: u.o.CachePath}
	c, err := f.read()
	if err != nil || c.Account == "" {
		return azcore.AccessToken{}, ErrNotSignedIn
	}
	o := u.o
	if c.ClientID != "" {
		o.ClientID, o.TenantID = c.ClientID, c.TenantID
	}
	app, err := o.app(f)
	if err != nil {
		return azcore.AccessToken{}, err
	}
	id := c.Account
	accounts, err := app.Accounts(ctx)
	if err != nil {
		return azcore.AccessToken{}, ErrNotSignedIn
	}
	for _, a := range accounts {
		if a.HomeAccountID != id {
			continue
		}
		res, err := app.AcquireTokenSilent(ctx, opts.Scopes, public.WithSilentAccount(a))
		if err != nil {
			return azcore.AccessToken{}, fmt.Errorf("%w (%v)", ErrNotSignedIn, err)
		}
		return azcore.AccessToken{Token: res.AccessToken, ExpiresOn: res.ExpiresOn}, nil
	}
	return azcore.AccessToken{}, ErrNotSignedIn
}

// CredentialFromEnvironment is the credential for unattended runs: the cache named by
// DWCTL_GATEWAY_TOKEN_CACHE when set (a session made by `dwctl login`), otherwise azidentity's
// credential chain from the environment (client secret, workload identity, managed identity,
// Azure CLI). The real gateway is observed to accept only delegated user tokens [O]; app-only
// tokens work against the emulator.
func CredentialFromEnvironment(auth transport.Auth) (azcore.TokenCredential, error) {
	if p := os.Getenv(CacheEnv); p != "" {
		return UserCredential(LoginOptions{CachePath: p, TenantID: auth.TenantID, AuthorityHost: auth.AuthorityHost, CAFile: auth.CAFile})
	}
	return transport.NewCredential(auth)
}
