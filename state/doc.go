// Package state keeps what dwctl manages in a pair of environments — its
// state — with the lock that serialises writers and the journal of what each
// apply did, in one of two backends.
//
// # The state document
//
// A state is one JSON document (format version 1, FormatVersion):
//
//	{
//	  "format_version": 1,
//	  "lineage": "3f0c…",            // a UUID fixed when the state is first created
//	  "serial": 7,                   // one more on every successful Put
//	  "objects": {                   // managed objects by address
//	    "table_map.customers": {
//	      "identity": {"finops": "CustomersV3", "dataverse": "accounts"},
//	      "fingerprint": "sha256:…",  // of the live object after the last apply
//	      "attributes": {…}           // what was last applied (opaque JSON)
//	    }
//	  },
//	  "checkpoints": {               // progress of data operations by address
//	    "initial_sync.table_map.customers": {"cursor": "…", "counts": {"created": 1200}, "updated": "…"}
//	    // "error": "…" when its last run failed: the next plan runs it again
//	  }
//	}
//
// Decode reads every older format through a chain of migrations, each a
// function on raw JSON from version N to N+1 (format 0, the layout of
// development builds before format 1, is the first); it refuses a newer
// format. A state never holds a secret: a Backend given sensitive values
// (WithSecrets) refuses to store a state that contains one (a *SecretError
// naming where, never what) and redacts them from journal messages.
//
// Put is a compare-and-swap: it stores a state only if the stored lineage and
// serial are those the caller's state was based on, so a lost update is
// impossible; otherwise it returns a *ConflictError.
//
// # Configuration
//
// The dwctl block's state block maps onto Open(ctx, kind, settings):
//
//	dwctl {
//	  state "local" { path = ".dwctl/state.json" }   // the default
//	  state "pg"    { conn = env("DWCTL_PG_CONN") workspace = "contoso-prod" schema = "dwctl" }
//	}
//
// local keeps the state at path (default DefaultLocalPath) — written to a
// temp file in the same directory, synced, renamed over the old one and the
// directory synced, mode 0600 — with the lock in PATH.lock and the journal
// in PATH.journal (JSON lines, appended and synced). On Unix the lock is an
// OS advisory lock (flock) that the holder keeps on PATH.lock for its whole
// run; the file holds the lock ID, user, host, pid, operation and time for
// messages. The kernel releases the OS lock when the holder dies, whatever
// the signal (kill -9, SIGPIPE), so the next command takes the lock file over
// without force-unlock; a lock file taken on another host (a shared file
// system) is never taken over. Elsewhere the lock file is created with O_EXCL
// and never taken over, however old: force-unlock releases it.
//
// pg keeps every workspace's state in one database, in the tables states,
// locks and journal of schema (default "dwctl"), created on first use (two
// processes starting at once are serialised). workspace (default "default")
// lets several configurations share a database. The lock is a session-level
// pg_advisory_lock held on a connection dedicated to it, released by
// PostgreSQL if the holder dies; the locks table names the holder.
// ForceUnlock ends the holder's database session (PostgreSQL 14 or later;
// the same role as the holder, pg_signal_backend or superuser). conn may be
// any libpq URL or key=value string; it is a secret and never appears in
// errors.
//
// # Locking
//
// Lock returns a lock ID or a *LockHeldError naming who holds the lock,
// where, for what and since when. With a deadline on its context it polls
// with backoff until the deadline: that is how -lock-timeout is expressed.
// Writes (Put, AppendJournal) while another process holds the lock are
// refused with a *LockHeldError; a holder whose lock was force-unlocked gets
// ErrLockLost on its next write, and from CheckLock, which the applier calls
// before every action so that it sends nothing more once the lock is gone. A write from a process holding no lock is
// allowed — local takes the lock for the duration of the write, pg relies on
// its conditional update — but every command that changes state should take
// the lock for its whole run.
//
// Package state imports no other dwctl package and must never import
// config, planner, applier, providers, emulator or cmd.
//
// Import rule: only none
package state
