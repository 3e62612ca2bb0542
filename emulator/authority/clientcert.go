package authority

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ClientCertificateFileName is the file (PEM: the certificate and its private key) of the
// certificate registered on the emulator's application, for the client_certificate auth method.
const ClientCertificateFileName = "client-certificate.pem"

// appCertificate is the certificate of the emulator's application, as an app registration holds
// one: the authority accepts client assertions signed with its key.
type appCertificate struct {
	cert *x509.Certificate
	path string
}

// loadOrCreateAppCertificate reads the application's certificate from dir or makes one (mode 0600:
// it holds the private key).
func loadOrCreateAppCertificate(dir, clientID string) (*appCertificate, error) {
	path := filepath.Join(dir, ClientCertificateFileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if data, err = newAppCertificatePEM(clientID); err == nil {
			err = writePrivateFile(path, data)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the application's certificate: %w", err)
	}
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, fmt.Errorf("%s holds no certificate", path)
		}
		if b.Type == "CERTIFICATE" {
			cert, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			return &appCertificate{cert: cert, path: path}, nil
		}
	}
}

func newAppCertificatePEM(clientID string) ([]byte, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "dwctl emulator app " + clientID},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(10, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk})...), nil
}

// verifyAssertion checks a client assertion signed with the application's certificate, as Entra
// does for a certificate credential [D]: the header names the certificate by its thumbprint (x5t,
// SHA-1, or x5t#S256), the signature is RS256 or PS256 by its key, the token is the application's
// (iss and sub) for this authority (aud) and unexpired.
func (a *appCertificate) verifyAssertion(token, clientID, audiencePrefix string, now time.Time) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return errors.New("not a JWT")
	}
	var h struct {
		Alg     string `json:"alg"`
		X5T     string `json:"x5t"`
		X5TS256 string `json:"x5t#S256"`
	}
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(hb, &h) != nil {
		return errors.New("the header does not decode")
	}
	sha1sum, sha256sum := sha1.Sum(a.cert.Raw), sha256.Sum256(a.cert.Raw)
	if !thumbprintIs(h.X5T, sha1sum[:]) && !thumbprintIs(h.X5TS256, sha256sum[:]) {
		return errors.New("it is not signed with the certificate registered on the application")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return errors.New("the signature does not decode")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	pub, ok := a.cert.PublicKey.(*rsa.PublicKey)
	switch {
	case !ok:
		if _, isEC := a.cert.PublicKey.(*ecdsa.PublicKey); isEC {
			return errors.New("EC certificates are not supported")
		}
		return errors.New("unsupported certificate key")
	case h.Alg == "RS256":
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig)
	case h.Alg == "PS256":
		err = rsa.VerifyPSS(pub, crypto.SHA256, digest[:], sig, nil)
	default:
		return fmt.Errorf("the algorithm %q is not supported", h.Alg)
	}
	if err != nil {
		return errors.New("the signature does not verify")
	}
	var c struct {
		Aud any    `json:"aud"`
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(body, &c) != nil {
		return errors.New("the claims do not decode")
	}
	aud, _ := c.Aud.(string)
	switch {
	case !strings.EqualFold(c.Iss, clientID) || !strings.EqualFold(c.Sub, clientID):
		return errors.New("iss and sub must be the application's client id")
	case !strings.HasPrefix(strings.ToLower(aud), strings.ToLower(audiencePrefix)):
		return fmt.Errorf("aud %q is not this authority", aud)
	case c.Exp != 0 && now.Unix() > c.Exp:
		return errors.New("it has expired")
	}
	return nil
}

// thumbprintIs compares a JWT thumbprint header with a digest: base64url as RFC 7515 writes it, or
// standard base64 as MSAL sends it.
func thumbprintIs(header string, sum []byte) bool {
	return header != "" && (header == base64.RawURLEncoding.EncodeToString(sum) || header == base64.StdEncoding.EncodeToString(sum))
}
