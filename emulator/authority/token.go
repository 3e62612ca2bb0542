package authority

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Claims are the claims of an access token issued by the emulator's token authority. They follow the
// Entra ID access-token claims that matter to a resource server.
type Claims struct {
	Audience  string `json:"aud"`
	Issuer    string `json:"iss"`
	IssuedAt  int64  `json:"iat"`
	NotBefore int64  `json:"nbf"`
	Expires   int64  `json:"exp"`
	TenantID  string `json:"tid"`
	AppID     string `json:"appid"`
	AZP       string `json:"azp"`
	ObjectID  string `json:"oid"`
	Subject   string `json:"sub"`
	IDType    string `json:"idtyp"`
	Version   string `json:"ver"`
}

// errToken* are the reasons a bearer token is refused; the resource servers turn them into 401 answers.
var (
	errTokenMissing  = errors.New("no bearer token")
	errTokenInvalid  = errors.New("the token is malformed or its signature is not valid")
	errTokenExpired  = errors.New("the token is expired")
	errTokenAudience = errors.New("the token audience is not this resource")
	errTokenApp      = errors.New("the token was issued to an application unknown to this environment")
)

// tokenSigner signs and verifies RS256 JWTs with the authority's key.
type tokenSigner struct {
	key *rsa.PrivateKey
	kid string
}

func newTokenSigner(key *rsa.PrivateKey) *tokenSigner {
	sum := sha256.Sum256(key.PublicKey.N.Bytes())
	return &tokenSigner{key: key, kid: base64.RawURLEncoding.EncodeToString(sum[:12])}
}

// sign returns the compact JWT for c.
func (s *tokenSigner) sign(c Claims) (string, error) {
	header, err := json.Marshal(map[string]string{"typ": "JWT", "alg": "RS256", "kid": s.kid})
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	input := b64(header) + "." + b64(body)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return input + "." + b64(sig), nil
}

// verify checks the signature and decodes the claims; it does not check expiry or audience.
func (s *tokenSigner) verify(token string) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, errTokenInvalid
	}
	var header struct {
		Alg string `json:"alg"`
	}
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(hb, &header) != nil || header.Alg != "RS256" {
		return Claims{}, errTokenInvalid
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return Claims{}, errTokenInvalid
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(&s.key.PublicKey, crypto.SHA256, digest[:], sig) != nil {
		return Claims{}, errTokenInvalid
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return Claims{}, errTokenInvalid
	}
	var c Claims
	if err := json.Unmarshal(body, &c); err != nil {
		return Claims{}, errTokenInvalid
	}
	return c, nil
}

// jwk returns the public key as a JSON Web Key, for the authority's jwks_uri.
func (s *tokenSigner) jwk() map[string]any {
	e := big64(s.key.PublicKey.E)
	return map[string]any{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": s.kid,
		"n": b64(s.key.PublicKey.N.Bytes()), "e": b64(e),
	}
}

func big64(e int) []byte {
	var out []byte
	for ; e > 0; e >>= 8 {
		out = append([]byte{byte(e)}, out...)
	}
	return out
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// validateClaims checks the time window, the audience and the application of c.
func validateClaims(c Claims, now time.Time, appID string, audiences []string) error {
	if now.Unix() >= c.Expires {
		return errTokenExpired
	}
	if c.NotBefore != 0 && now.Add(5*time.Minute).Unix() < c.NotBefore {
		return errTokenInvalid
	}
	if !AudienceMatches(c.Audience, audiences) {
		return errTokenAudience
	}
	if c.AppID != appID {
		return errTokenApp
	}
	return nil
}

// AudienceMatches compares an audience with the accepted ones, ignoring case and a trailing slash.
func AudienceMatches(aud string, accepted []string) bool {
	norm := func(s string) string { return strings.TrimSuffix(strings.ToLower(s), "/") }
	for _, a := range accepted {
		if norm(a) == norm(aud) {
			return true
		}
	}
	return false
}

// describeTokenError returns the text resource servers put into WWW-Authenticate error_description.
func DescribeTokenError(err error) string {
	return fmt.Sprint(err)
}
