package transport

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CheckURL parses a service or authority base URL and refuses what dwctl must not send a credential
// to: anything but https, except http to a loopback address (127.0.0.0/8, ::1, localhost).
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid URL %q: %w", raw, err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("invalid URL %q: no host", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("invalid URL %q: credentials in a URL are not accepted", u.Redacted())
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, fmt.Errorf("invalid URL %q: a base URL has no query or fragment", u.Redacted())
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return u, nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return u, nil
		}
		return nil, fmt.Errorf("refusing plain http:// to %s: only loopback addresses may be reached without TLS", u.Host)
	}
	return nil, fmt.Errorf("invalid URL %q: scheme must be https", raw)
}

// IsLoopback reports whether host (without port) is a loopback address or "localhost".
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
