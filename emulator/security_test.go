package emulator

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestNoSecretsInLogs runs token requests (good and bad) and data requests with trace logging and
// checks that neither the client secret nor any token reaches the log.
func TestNoSecretsInLogs(t *testing.T) {
	t.Parallel()
	var buf lockedBuffer
	env := startEnv(t, Options{Logger: hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: &buf})})
	tok := env.token(env.info.DataverseURL)
	env.do("dv", "GET", "/api/data/v9.2/WhoAmI", "")
	env.do("fo", "GET", "/data/LegalEntities", "", "Authorization", "Bearer "+tok)
	env.do("dv", "POST", "/api/data/v9.2/accounts", `{"name":"x"}`)
	log := buf.String()
	if !strings.Contains(log, "request") {
		t.Fatalf("nothing was logged: %q", log)
	}
	for name, secret := range map[string]string{"client secret": env.info.ClientSecret, "token": tok, "token signature": tok[strings.LastIndex(tok, ".")+1:]} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds the %s", name)
		}
	}
}

func TestURLLength(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	long := "/api/data/v9.2/accounts?$filter=name eq '" + strings.Repeat("x", 33000) + "'"
	if r := env.do("dv", "GET", long, ""); r.status != 414 {
		t.Errorf("33 KB URL: %d, want 414", r.status)
	}
}
