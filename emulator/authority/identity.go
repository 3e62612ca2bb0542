package authority

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dwctl/dwctl/emulator/wire"
)

const (
	identityFileName = "identity.json"
	tokenKeyFileName = "token-key.pem"
)

// Identity is what the emulator generates once per data directory and keeps stable afterwards: the
// tenant, the one application registered in it (the application user of both services) and the ids
// WhoAmI reports.
type Identity struct {
	TenantID       string `json:"tenant_id"`
	ClientID       string `json:"client_id"`
	ClientSecret   string `json:"client_secret"`
	ObjectID       string `json:"object_id"`
	UserID         string `json:"user_id"`
	BusinessUnitID string `json:"business_unit_id"`
	OrganizationID string `json:"organization_id"`
}

// loadOrCreateIdentity reads identity.json from dir or writes a new one (mode 0600: it holds a secret).
func loadOrCreateIdentity(dir string) (Identity, error) {
	path := filepath.Join(dir, identityFileName)
	data, err := os.ReadFile(path)
	if err == nil {
		var id Identity
		if err := json.Unmarshal(data, &id); err != nil {
			return Identity{}, fmt.Errorf("parsing %s: %w", path, err)
		}
		if id.TenantID == "" || id.ClientID == "" || id.ClientSecret == "" {
			return Identity{}, fmt.Errorf("%s lacks tenant_id, client_id or client_secret", path)
		}
		return id, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return Identity{}, fmt.Errorf("reading %s: %w", path, err)
	}
	id := Identity{
		TenantID: wire.NewGUID(), ClientID: wire.NewGUID(), ClientSecret: newSecret(),
		ObjectID: wire.NewGUID(), UserID: wire.NewGUID(), BusinessUnitID: wire.NewGUID(), OrganizationID: wire.NewGUID(),
	}
	data, err = json.MarshalIndent(id, "", "  ")
	if err != nil {
		return Identity{}, err
	}
	return id, writePrivateFile(path, data)
}

// loadOrCreateTokenKey reads the RS256 signing key of the token authority from dir or makes one.
func loadOrCreateTokenKey(dir string) (*rsa.PrivateKey, error) {
	path := filepath.Join(dir, tokenKeyFileName)
	data, err := os.ReadFile(path)
	if err == nil {
		b, _ := pem.Decode(data)
		if b == nil {
			return nil, fmt.Errorf("%s is not PEM", path)
		}
		return x509.ParsePKCS1PrivateKey(b.Bytes)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	pemData := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	return key, writePrivateFile(path, pemData)
}

func newSecret() string {
	var b [30]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// EnvironmentOf is the Power Platform environment id of the Dataverse organization org, stable per
// organization: what the connection set names and what RetrieveCurrentOrganization reports.
func EnvironmentOf(org string) string {
	return wire.StableGUID("powerapps-environment:" + strings.ToLower(org))
}
