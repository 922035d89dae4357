package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"gatehouse/store/internal/sqlstore"
)

// migrations are the schema changes, applied in version order.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrateLockClass is the first key of the advisory lock migrations hold;
// the second is a hash of the schema, so stores in different schemas of
// one database migrate independently.
const migrateLockClass = 0x6761_7465 // "gate"

// migrate applies the migrations the current schema lacks, all in one
// transaction that holds an advisory lock, so that instances starting at
// once wait for each other and a failed migration changes nothing.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	migs, err := sqlstore.LoadMigrations(migrations, "migrations")
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := lockSchema(ctx, tx); err != nil {
			return err
		}
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
		return nil
	})
}

// lockSchema takes the transaction-scoped migration lock of the schema
// the tables go in, failing when search_path names no existing schema.
func lockSchema(ctx context.Context, tx pgx.Tx) error {
	var schema *string
	if err := tx.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return fmt.Errorf("migrate: read current schema: %w", err)
	}
	if schema == nil {
		return errors.New("migrate: search_path names no existing schema to create the tables in")
	}
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", int32(migrateLockClass), *schema); err != nil {
		return fmt.Errorf("migrate: lock schema %s: %w", *schema, err)
	}
	return nil
}

// appliedVersion creates the schema_migrations table when missing and
// returns the highest version applied, 0 for a new schema.
func appliedVersion(ctx context.Context, tx pgx.Tx) (int, error) {
	_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`)
	if err != nil {
		return 0, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	var v int
	if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("migrate: read version: %w", err)
	}
	return v, nil
}

func apply(ctx context.Context, tx pgx.Tx, m sqlstore.Migration) error {
	// No arguments: pgx sends the file with the simple protocol, which
	// runs several statements.
	if _, err := tx.Exec(ctx, m.SQL); err != nil {
		return fmt.Errorf("migrate: %s: %w", m.Name, err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
		return fmt.Errorf("migrate: record %s: %w", m.Name, err)
	}
	return nil
}
