package transport

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

// NewHTTPClient returns a client with full TLS verification. With caFile empty it trusts the system
// roots; otherwise it trusts only the certificates in that PEM file (the emulator's CA) and nothing else.
func NewHTTPClient(caFile string) (*http.Client, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("reading CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s holds no PEM certificate", caFile)
		}
		cfg.RootCAs = pool
	}
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		TLSClientConfig:     cfg,
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        100,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
		// Dataverse ends a request after 2 minutes; an answer that has not started after 4 is a hung
		// connection, retried like a dropped one where that is safe.
		ResponseHeaderTimeout: 4 * time.Minute,
		ExpectContinueTimeout: time.Second,
	}
	if caFile != "" {
		// The emulator is on loopback: a proxy from the environment must not see its traffic.
		tr.Proxy = nil
	}
	return &http.Client{Transport: tr, CheckRedirect: sameHostRedirects}, nil
}
