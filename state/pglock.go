package state

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// querier is what both a connection and a transaction offer.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Lock takes the workspace's advisory lock with pg_try_advisory_lock on a
// new connection kept open for the lock's life, and records info in
// SCHEMA.locks. If this process dies, PostgreSQL ends its session and the
// lock is released; a leftover row is then replaced by the next holder.
func (b *PG) Lock(ctx context.Context, info LockInfo) (string, error) {
	conn, err := pgx.ConnectConfig(ctx, b.cfg)
	if err != nil {
		return "", b.scrub(fmt.Errorf("pg state backend: %w", err))
	}
	id, err := lockRetry(ctx, b.opts.wait, func() (string, error) {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.lock != nil {
			return "", b.ownHeldError()
		}
		got, err := b.tryLock(ctx, conn, info)
		if err != nil {
			return "", b.scrub(err)
		}
		b.lock = got
		b.opts.logger.Debug("state lock taken", "workspace", b.workspace, "id", got.id)
		return got.id, nil
	})
	if err != nil {
		_ = conn.Close(context.Background())
	}
	return id, err
}

func (b *PG) tryLock(ctx context.Context, conn *pgx.Conn, info LockInfo) (*pgLock, error) {
	for attempt := 1; ; attempt++ {
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, b.key).Scan(&ok); err != nil {
			return nil, fmt.Errorf("taking the state lock: %w", err)
		}
		if ok {
			break
		}
		holder, err := b.holderPID(ctx, conn)
		if err != nil {
			return nil, err
		}
		held, err := b.heldError(ctx, conn, holder)
		if err != nil {
			return nil, err
		}
		if held != nil {
			return nil, held
		}
		if attempt == 3 {
			return nil, &LockHeldError{Seen: time.Now(), Note: "it is being taken and released repeatedly by other sessions"}
		}
		// Released between the try and the look: try again.
	}
	info = info.fill(time.Now())
	l := &pgLock{conn: conn, id: info.ID, pid: conn.PgConn().PID(), info: info}
	_, err := conn.Exec(ctx, `INSERT INTO `+b.table("locks")+` (workspace, id, who, host, pid, operation, created, backend_pid)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (workspace) DO UPDATE SET id = $2, who = $3, host = $4, pid = $5, operation = $6, created = $7, backend_pid = $8`,
		b.workspace, info.ID, info.Who, info.Host, info.PID, info.Operation, info.Created, int64(l.pid))
	if err != nil {
		return nil, fmt.Errorf("recording the state lock: %w", err)
	}
	return l, nil
}

// holderPID returns the server process id of the session holding the
// workspace's advisory lock, or 0. pg_locks shows a bigint key as its high
// half in classid and its low half in objid, with objsubid 1.
func (b *PG) holderPID(ctx context.Context, q querier) (uint32, error) {
	var pid int32
	err := q.QueryRow(ctx, `SELECT pid FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objsubid = 1
		  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
		  AND classid = $1::bigint::oid AND objid = $2::bigint::oid
		LIMIT 1`, int64(uint64(b.key)>>32), int64(uint64(b.key)&0xffffffff)).Scan(&pid)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading the state lock: %w", err)
	}
	return uint32(pid), nil
}

// lockRow reads the recorded holder, if any.
func (b *PG) lockRow(ctx context.Context, q querier) (*LockInfo, uint32, error) {
	var (
		info    LockInfo
		backend int64
	)
	err := q.QueryRow(ctx, `SELECT id, who, host, pid, operation, created, backend_pid FROM `+b.table("locks")+`
		WHERE workspace = $1`, b.workspace).Scan(&info.ID, &info.Who, &info.Host, &info.PID, &info.Operation, &info.Created, &backend)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("reading the state lock: %w", err)
	}
	info.Created = info.Created.UTC()
	return &info, uint32(backend), nil
}

// heldError describes the lock held by server process holder, or returns
// nil when holder is 0.
func (b *PG) heldError(ctx context.Context, q querier, holder uint32) (*LockHeldError, error) {
	if holder == 0 {
		return nil, nil
	}
	info, backend, err := b.lockRow(ctx, q)
	if err != nil {
		return nil, err
	}
	if info == nil || backend != holder {
		return &LockHeldError{Seen: time.Now(), Note: fmt.Sprintf("database session %d holds it and has not recorded its details yet", holder)}, nil
	}
	return &LockHeldError{Info: *info, Seen: time.Now()}, nil
}

// ownHeldError is the error for a second Lock through the same PG.
func (b *PG) ownHeldError() error {
	return &LockHeldError{Info: b.lock.info, Seen: time.Now()}
}

// Unlock releases the lock this PG took: its row, its advisory lock and its
// connection.
func (b *PG) Unlock(ctx context.Context, id string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.lock == nil || id == "" || b.lock.id != id {
		return ErrNotLockHolder
	}
	return b.releaseLocked(ctx)
}

// releaseLocked releases b.lock. b.mu must be held.
func (b *PG) releaseLocked(ctx context.Context) error {
	l := b.lock
	b.lock = nil
	defer l.conn.Close(context.Background())
	if _, err := l.conn.Exec(ctx, `DELETE FROM `+b.table("locks")+` WHERE workspace = $1 AND id = $2`, b.workspace, l.id); err != nil {
		if l.conn.IsClosed() {
			return ErrLockLost
		}
		return b.scrub(fmt.Errorf("releasing the state lock: %w", err))
	}
	var released bool
	if err := l.conn.QueryRow(ctx, `SELECT pg_advisory_unlock($1)`, b.key).Scan(&released); err != nil {
		return b.scrub(fmt.Errorf("releasing the state lock: %w", err))
	}
	if !released {
		return ErrLockLost
	}
	b.opts.logger.Debug("state lock released", "workspace", b.workspace, "id", l.id)
	return nil
}

// ForceUnlock releases the lock with this ID by ending the database session
// that holds it (pg_terminate_backend, PostgreSQL 14 or later), which needs
// the same role as the holder, pg_signal_backend or superuser.
func (b *PG) ForceUnlock(ctx context.Context, id string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.lock != nil && b.lock.id == id {
		return b.releaseLocked(ctx)
	}
	conn, err := b.dataConn(ctx)
	if err != nil {
		return err
	}
	holder, err := b.holderPID(ctx, conn)
	if err != nil {
		return b.scrub(err)
	}
	if holder == 0 {
		return ErrNotLocked
	}
	info, backend, err := b.lockRow(ctx, conn)
	if err != nil {
		return b.scrub(err)
	}
	if info == nil || backend != holder || info.ID != id {
		holderInfo := LockInfo{}
		if info != nil && backend == holder {
			holderInfo = *info
		}
		return &LockIDError{Given: id, Holder: holderInfo}
	}
	return b.terminate(ctx, conn, holder, *info)
}

func (b *PG) terminate(ctx context.Context, conn *pgx.Conn, holder uint32, info LockInfo) error {
	var ended bool
	if err := conn.QueryRow(ctx, `SELECT pg_terminate_backend($1, 5000)`, int64(holder)).Scan(&ended); err != nil {
		return b.scrub(fmt.Errorf("ending the database session %d that holds the state lock: %w", holder, err))
	}
	if !ended {
		return fmt.Errorf("the database session %d that holds the state lock did not end within 5s; try again", holder)
	}
	if _, err := conn.Exec(ctx, `DELETE FROM `+b.table("locks")+` WHERE workspace = $1 AND id = $2`, b.workspace, info.ID); err != nil {
		return b.scrub(fmt.Errorf("removing the state lock record: %w", err))
	}
	b.opts.logger.Info("state lock forcibly released", "workspace", b.workspace, "id", info.ID, "holder", info.Who+"@"+info.Host)
	return nil
}

// LockHolder describes the session holding the workspace's lock. When that
// session has not recorded itself yet, the returned info has an empty ID.
func (b *PG) LockHolder(ctx context.Context) (*LockInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	conn, err := b.dataConn(ctx)
	if err != nil {
		return nil, err
	}
	holder, err := b.holderPID(ctx, conn)
	if err != nil || holder == 0 {
		return nil, b.scrub(err)
	}
	info, backend, err := b.lockRow(ctx, conn)
	if err != nil {
		return nil, b.scrub(err)
	}
	if info == nil || backend != holder {
		return &LockInfo{}, nil
	}
	return info, nil
}

// CheckLock confirms this PG still holds its lock: the lock's session is
// alive and is the one holding the workspace's advisory lock.
func (b *PG) CheckLock(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.lock == nil {
		return nil // no lock taken: nothing to confirm
	}
	holder, err := b.holderPID(ctx, b.lock.conn)
	if err != nil || holder != b.lock.pid {
		return ErrLockLost
	}
	return nil
}
