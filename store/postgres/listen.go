package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reconnection backoff of the listener.
const (
	minReconnect = 100 * time.Millisecond
	maxReconnect = 5 * time.Second
)

// listenConn opens a connection of its own, outside the pool, and
// listens on Channel.
func listenConn(ctx context.Context, cc *pgx.ConnConfig) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, cc.Copy())
	if err != nil {
		return nil, fmt.Errorf("postgres: connect listener: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("postgres: listen: %w", err)
	}
	return conn, nil
}

// listen delivers notifications until ctx is done, reconnecting when the
// connection fails. After a reconnection it delivers the current
// generation, which covers the notifications missed meanwhile.
func (s *Store) listen(ctx context.Context, conn *pgx.Conn, cc *pgx.ConnConfig) {
	defer close(s.listenerDone)
	for {
		err := s.receive(ctx, conn)
		conn.Close(context.Background())
		if ctx.Err() != nil {
			return
		}
		slog.Warn("postgres store: generation listener lost its connection; reconnecting", "err", err)
		if conn = reconnect(ctx, cc); conn == nil {
			return
		}
		s.catchUp(ctx)
	}
}

// receive handles notifications on conn until it fails or ctx is done.
func (s *Store) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		s.handle(ctx, n.Payload)
	}
}

// handle acts on one notification. The channel is shared by every store
// of the database, whatever its schema, so the payload is only a hint: a
// generation already delivered is ignored, and otherwise the store reads
// its own counter and delivers that.
func (s *Store) handle(ctx context.Context, payload string) {
	if gen, err := strconv.ParseInt(payload, 10, 64); err == nil && gen <= s.notify.Last() {
		return
	}
	s.catchUp(ctx)
}

// catchUp delivers the current generation if subscribers have not seen it.
func (s *Store) catchUp(ctx context.Context) {
	gen, err := s.Generation(ctx)
	if err != nil {
		if ctx.Err() == nil {
			slog.Warn("postgres store: read generation after notification", "err", err)
		}
		return
	}
	s.notify.Publish(gen)
}

// reconnect opens a new listening connection, waiting longer after each
// failure, until it succeeds or ctx is done, when it returns nil.
func reconnect(ctx context.Context, cc *pgx.ConnConfig) *pgx.Conn {
	wait := minReconnect
	for {
		if sleep(ctx, wait) != nil {
			return nil
		}
		conn, err := listenConn(ctx, cc)
		if err == nil {
			return conn
		}
		slog.Warn("postgres store: reconnect generation listener", "err", err, "retry_in", wait)
		wait = min(2*wait, maxReconnect)
	}
}
