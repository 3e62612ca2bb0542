package transport_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/providers/transport"
)

// TestClientCertificateAgainstTheEmulator signs in with the certificate registered on the emulator's
// application, through azidentity's certificate credential; another certificate is refused with
// Entra's error, and a missing file names what the method needs.
func TestClientCertificateAgainstTheEmulator(t *testing.T) {
	e, err := emulator.Start(context.Background(), emulator.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	info := e.Info()
	auth := transport.Auth{Method: transport.AuthClientCertificate, TenantID: info.TenantID, ClientID: info.ClientID,
		CertificatePath: info.ClientCertificateFile, AuthorityHost: info.AuthorityURL, CAFile: info.CAFile}
	cred, err := transport.NewCredential(auth)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{info.DataverseURL + "/.default"}})
	if err != nil || tok.Token == "" {
		t.Fatalf("token with the registered certificate: %v", err)
	}

	other := filepath.Join(t.TempDir(), "other.pem")
	writeSelfSigned(t, other)
	auth.CertificatePath = other
	cred, err = transport.NewCredential(auth)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{info.DataverseURL + "/.default"}}); err == nil ||
		!strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("token with another certificate: %v, want invalid_client", err)
	}

	auth.CertificatePath = filepath.Join(t.TempDir(), "missing.pem")
	if _, err := transport.NewCredential(auth); err == nil || !strings.Contains(err.Error(), "client_certificate_path") {
		t.Errorf("missing certificate file: %v", err)
	}
}

func writeSelfSigned(t *testing.T, path string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "someone else"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pk, _ := x509.MarshalPKCS8PrivateKey(key)
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk})...)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
