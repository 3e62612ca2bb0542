package pgtest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestStartStop starts a server, uses it, stops it and checks that nothing
// is left: neither the process nor its directory.
func TestStartStop(t *testing.T) {
	ctx := context.Background()
	srv, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	url, err := srv.CreateDatabase(ctx, "scratch")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	var db string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if db != "scratch" {
		t.Errorf("current_database() = %q, want scratch", db)
	}
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.done:
	default:
		t.Error("postgres is still running after Stop")
	}
	if _, err := os.Stat(srv.dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("server directory %s still exists after Stop (stat: %v)", srv.dir, err)
	}
}
