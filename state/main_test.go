package state

import (
	"os"
	"testing"

	"github.com/dwctl/dwctl/state/pgtest"
)

// pgServer is the PostgreSQL server every test of this package shares.
var pgServer *pgtest.Server

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		os.Exit(crashChild())
	}
	os.Exit(pgtest.Main(m, func(s *pgtest.Server) { pgServer = s }))
}
