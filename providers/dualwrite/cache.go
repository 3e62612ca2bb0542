package dualwrite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
)

// fileCache keeps MSAL's token cache (accounts, refresh tokens, access tokens) and the signed-in
// account in one file, mode 0600, written atomically. azidentity's own persistent cache lives in a
// separate module that encrypts with the OS keyring (absent on headless build agents), so dwctl
// keeps MSAL's serialised cache — the engine under azidentity — in a private file instead.
type fileCache struct {
	path string
}

type cacheFile struct {
	Account string `json:"account"`
	// ClientID and TenantID are the app registration and tenant the person signed in with; the
	// refresh token can only be redeemed by the same client.
	ClientID string          `json:"client_id,omitempty"`
	TenantID string          `json:"tenant_id,omitempty"`
	MSAL     json.RawMessage `json:"msal,omitempty"`
}

func (f *fileCache) read() (cacheFile, error) {
	var c cacheFile
	data, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("reading the token cache: %w", err)
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return cacheFile{}, fmt.Errorf("the token cache %s is damaged; run `dwctl login` again", f.path)
	}
	return c, nil
}

func (f *fileCache) write(c cacheFile) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return fmt.Errorf("writing the token cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".gateway-token-*")
	if err != nil {
		return fmt.Errorf("writing the token cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the token cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.path)
}

// Replace loads the file into MSAL's cache.
func (f *fileCache) Replace(ctx context.Context, u cache.Unmarshaler, _ cache.ReplaceHints) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := f.read()
	if err != nil || len(c.MSAL) == 0 {
		return err
	}
	return u.Unmarshal(c.MSAL)
}

// Export writes MSAL's cache to the file, keeping the account.
func (f *fileCache) Export(ctx context.Context, m cache.Marshaler, _ cache.ExportHints) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	c, _ := f.read()
	c.MSAL = data
	return f.write(c)
}

func (f *fileCache) account() (string, error) {
	c, err := f.read()
	return c.Account, err
}

func (f *fileCache) setAccount(id, clientID, tenantID string) error {
	c, err := f.read()
	if err != nil {
		return err
	}
	c.Account, c.ClientID, c.TenantID = id, clientID, tenantID
	return f.write(c)
}
