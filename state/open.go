package state

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/go-hclog"
)

// DefaultLocalPath is where the local backend keeps the state when the
// configuration names no path.
const DefaultLocalPath = ".dwctl/state.json"

// Option adjusts a Backend made by Open, NewLocal or NewPG.
type Option func(*options)

type options struct {
	secrets []string
	guard   *Guard
	wait    LockWaitFunc
	logger  hclog.Logger
}

func collect(opts []Option) options {
	o := options{logger: hclog.NewNullLogger()}
	for _, opt := range opts {
		opt(&o)
	}
	o.guard = NewGuard(o.secrets...)
	return o
}

// WithSecrets makes the Backend refuse to store a state containing any of
// the given sensitive values and redact them from journal messages.
func WithSecrets(secrets ...string) Option {
	return func(o *options) { o.secrets = append(o.secrets, secrets...) }
}

// WithLockWait makes Lock call f each time it finds the lock held and waits.
func WithLockWait(f LockWaitFunc) Option {
	return func(o *options) { o.wait = f }
}

// WithLogger sets the logger for the Backend's debug output.
func WithLogger(l hclog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// Open returns the Backend of the given kind configured by settings, the
// attributes of a `state "KIND" { ... }` block of the dwctl block:
//
//	local: path (default DefaultLocalPath, relative to the working directory)
//	pg:    conn (required; a PostgreSQL URL or key=value string),
//	       workspace (default "default"), schema (default "dwctl")
//
// An empty kind means "local". Unknown kinds and settings are refused. The
// pg conn setting and its password are themselves treated as secrets.
func Open(ctx context.Context, kind string, settings map[string]string, opts ...Option) (Backend, error) {
	switch kind {
	case "", "local":
		if err := knownSettings("local", settings, "path"); err != nil {
			return nil, err
		}
		path := settings["path"]
		if path == "" {
			path = DefaultLocalPath
		}
		return NewLocal(path, opts...), nil
	case "pg":
		if err := knownSettings("pg", settings, "conn", "workspace", "schema"); err != nil {
			return nil, err
		}
		b, err := NewPG(ctx, PGConfig{Conn: settings["conn"], Workspace: settings["workspace"], Schema: settings["schema"]}, opts...)
		if err != nil {
			return nil, err
		}
		return b, nil
	default:
		return nil, fmt.Errorf("unknown state backend %q: want \"local\" or \"pg\"", kind)
	}
}

func knownSettings(kind string, settings map[string]string, known ...string) error {
	for k := range settings {
		if !slices.Contains(known, k) {
			return fmt.Errorf("state %q: unknown setting %q; the settings are %s", kind, k, strings.Join(known, ", "))
		}
	}
	return nil
}
