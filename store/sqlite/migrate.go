package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	"gatehouse/store/internal/sqlstore"
)

// migrations are the schema changes, applied in version order.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrate applies the migrations db lacks in one write transaction, so a
// failed migration leaves the database as it was and two processes opening
// a new file at once apply each migration once.
func migrate(ctx context.Context, db *sql.DB) error {
	migs, err := sqlstore.LoadMigrations(migrations, "migrations")
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	defer tx.Rollback()
	applied, err := appliedVersion(ctx, tx)
	if err != nil {
		return err
	}
	pending, err := sqlstore.Pending(migs, applied)
	if err != nil {
		return err
	}
	for _, m := range pending {
		if err := apply(ctx, tx, m); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// appliedVersion creates the schema_migrations table when missing and
// returns the highest version applied, 0 for a new database.
func appliedVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_ns INTEGER NOT NULL)`)
	if err != nil {
		return 0, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	var v int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("migrate: read version: %w", err)
	}
	return v, nil
}

func apply(ctx context.Context, tx *sql.Tx, m sqlstore.Migration) error {
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migrate: %s: %w", m.Name, err)
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_ns) VALUES (?, ?, ?)",
		m.Version, m.Name, time.Now().UnixNano())
	if err != nil {
		return fmt.Errorf("migrate: record %s: %w", m.Name, err)
	}
	return nil
}
